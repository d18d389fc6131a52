package io.genos.orchestrator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Waits until an environment's display answers in its own protocol (an RFB banner, a SPICE link reply, an RDP
 * connection confirm), up to {@code genos.orchestrator.display-timeout}; a headless environment is ready once it runs.
 */
final class DisplayReadiness {
    private final Duration timeout;

    DisplayReadiness(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @return where the display answers, or null for a headless environment
     * @throws RuntimeFailureException when the environment stops or disappears meanwhile, or the time is up
     */
    InetSocketAddress await(EnvironmentRuntime runtime, RuntimeHandle handle) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no address yet";
        while (true) {
            RuntimeStatus status = runtime.inspect(handle).orElseThrow(
                    () -> new RuntimeFailureException("the environment disappeared while starting"));
            if (!status.running()) {
                String tail = runtime.logTail(handle, 15).strip();
                throw new RuntimeFailureException("the environment stopped while starting"
                        + (status.exitCode() == null ? "" : " (exit code " + status.exitCode() + ")")
                        + (tail.isEmpty() ? "" : "; its last output: " + tail));
            }
            if (status.headless()) {
                return null;
            }
            if (status.display() != null) {
                try {
                    if (status.displayProtocol() == io.genos.spec.Streaming.Protocol.SPICE) {
                        SpiceProbe.link(status.display(), 1000);
                    } else if (status.displayProtocol() == io.genos.spec.Streaming.Protocol.RDP) {
                        RdpProbe.connect(status.display(), 1000);
                    } else {
                        RfbProbe.banner(status.display(), 1000);
                    }
                    return status.display();
                } catch (IOException ex) {
                    last = status.display().getHostString() + ":" + status.display().getPort() + ": " + ex.getMessage();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new RuntimeFailureException("the display did not answer within " + timeout.toSeconds()
                        + " s (last attempt: " + last + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailureException("GenOS stopped while waiting for the display");
            }
        }
    }
}
