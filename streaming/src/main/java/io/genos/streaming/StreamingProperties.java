package io.genos.streaming;

/**
 * Streaming's configuration, bound by the portal under the prefix {@code genos.streaming}.
 *
 * @param guacdHost         external guacd's host; empty or {@code null} = no guacd (the embedded bridge serves VNC,
 *                          RDP/SPICE/SSH are refused)
 * @param guacdPort         external guacd's port; 0 (what a binder leaves for an unset property) = guacd's 4822
 * @param bridgeListenPort  loopback port on which the embedded bridge speaks the guacd protocol; 0 = off
 */
public record StreamingProperties(String guacdHost, int guacdPort, int bridgeListenPort) {

    public static final StreamingProperties EMBEDDED = new StreamingProperties("", 4822, 0);

    public StreamingProperties {
        guacdHost = guacdHost == null ? "" : guacdHost.strip();
        if (guacdPort == 0) {
            guacdPort = 4822;
        }
        if (guacdPort < 1 || guacdPort > 65535) {
            throw new IllegalArgumentException("genos.streaming.guacd-port must be 1..65535, was " + guacdPort);
        }
        if (bridgeListenPort < 0 || bridgeListenPort > 65535) {
            throw new IllegalArgumentException(
                    "genos.streaming.bridge-listen-port must be 0 (off) or 1..65535, was " + bridgeListenPort);
        }
    }

    public boolean guacdConfigured() {
        return !guacdHost.isEmpty();
    }
}
