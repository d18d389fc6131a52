package io.genos.spec;

import io.genos.spec.Streaming.Protocol;

/**
 * Where an environment's display can be reached, as the orchestrator reports it once the display answers:
 * protocol, host and port (always on loopback for the embedded runtimes), the display's password (may be
 * {@code null}) and, for RDP, the user to sign in as (may be {@code null}). Handed by the portal to streaming after it
 * has authorised the user.
 */
public record DisplayEndpoint(Protocol protocol, String host, int port, String password, String username) {

    /** An endpoint without a username (VNC, SPICE). */
    public DisplayEndpoint(Protocol protocol, String host, int port, String password) {
        this(protocol, host, port, password, null);
    }
    @Override
    public String toString() {
        return "DisplayEndpoint[" + protocol + " " + host + ":" + port + (username == null ? "" : " as " + username)
                + (password == null ? "" : " (password set)") + "]";
    }
}
