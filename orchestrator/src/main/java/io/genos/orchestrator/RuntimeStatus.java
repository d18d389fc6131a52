package io.genos.orchestrator;

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
 */
public record RuntimeStatus(String ref, String environmentId, boolean running, Long exitCode,
        InetSocketAddress display, Map<Integer, InetSocketAddress> ports, Map<String, String> labels) {
    public RuntimeStatus {
        ports = Map.copyOf(ports);
        labels = Map.copyOf(labels);
    }
}
