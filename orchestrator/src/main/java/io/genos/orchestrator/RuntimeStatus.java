package io.genos.orchestrator;

import io.genos.spec.Streaming.Protocol;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What a runtime reports about one environment.
 *
 * @param ref the runtime's id
 * @param environmentId from the labels
 * @param running whether it runs now
 * @param exitCode the last exit code when not running, else null
 * @param display where the display can be reached from this host, null when not known (e.g. stopped)
 * @param ports the spec's ports: port inside → address reachable from this host
 * @param labels all labels
 * @param headless whether the environment has no display at all (a terminal-only image): it is ready once it runs
 * @param displayProtocol what the display speaks (VNC unless the runtime says otherwise)
 */
public record RuntimeStatus(String ref, String environmentId, boolean running, Long exitCode,
        InetSocketAddress display, Map<Integer, InetSocketAddress> ports, Map<String, String> labels,
        boolean headless, Protocol displayProtocol) {
    public RuntimeStatus {
        ports = Map.copyOf(ports);
        labels = Map.copyOf(labels);
        displayProtocol = displayProtocol == null ? Protocol.VNC : displayProtocol;
    }

    /** The status of an environment whose display (if any) speaks VNC. */
    public RuntimeStatus(String ref, String environmentId, boolean running, Long exitCode, InetSocketAddress display,
            Map<Integer, InetSocketAddress> ports, Map<String, String> labels, boolean headless) {
        this(ref, environmentId, running, exitCode, display, ports, labels, headless, Protocol.VNC);
    }

    /** The status of an environment with a display. */
    public RuntimeStatus(String ref, String environmentId, boolean running, Long exitCode, InetSocketAddress display,
            Map<Integer, InetSocketAddress> ports, Map<String, String> labels) {
        this(ref, environmentId, running, exitCode, display, ports, labels, false, Protocol.VNC);
    }
}
