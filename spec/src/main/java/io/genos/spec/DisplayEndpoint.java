package io.genos.spec;

import io.genos.spec.Streaming.Protocol;

/**
 * Where an environment's display can be reached, as the orchestrator reports it once the display answers:
 * protocol, host and port (always on loopback for the embedded runtimes), and the display's password (may be
 * {@code null}). Handed by the portal to streaming after it has authorised the user.
 */
public record DisplayEndpoint(Protocol protocol, String host, int port, String password) {
    @Override
    public String toString() {
        return "DisplayEndpoint[" + protocol + " " + host + ":" + port + (password == null ? "" : " (password set)") + "]";
    }
}
