package io.genos.streaming;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import io.genos.streaming.bridge.VncBridge;
import io.genos.streaming.guacd.GuacdGateway;
import org.apache.guacamole.net.GuacamoleTunnel;
import org.apache.guacamole.protocol.GuacamoleStatus;

/**
 * The {@link DisplayGateway} the portal uses: every display through guacd when one is configured; otherwise VNC
 * through the embedded bridge and a plain refusal for RDP, SPICE and SSH ({@link #refusal}), which the portal also
 * shows before it tries to connect.
 */
public final class SelectingDisplayGateway implements DisplayGateway {

    private final DisplayGateway bridge;
    private final DisplayGateway guacd;

    /** @param guacd {@code null} when no guacd is configured */
    public SelectingDisplayGateway(DisplayGateway bridge, DisplayGateway guacd) {
        this.bridge = java.util.Objects.requireNonNull(bridge, "bridge");
        this.guacd = guacd;
    }

    public static SelectingDisplayGateway forProperties(StreamingProperties properties) {
        return new SelectingDisplayGateway(new VncBridge(), properties.guacdConfigured()
                ? new GuacdGateway(properties.guacdHost(), properties.guacdPort()) : null);
    }

    @Override
    public GuacamoleTunnel open(DisplayEndpoint endpoint, ClientScreen screen) {
        if (endpoint == null || endpoint.protocol() == null) {
            throw new StreamingException(GuacamoleStatus.CLIENT_BAD_REQUEST, "No display endpoint given");
        }
        if (guacd != null) {
            return guacd.open(endpoint, screen);
        }
        if (endpoint.protocol() == Protocol.VNC) {
            return bridge.open(endpoint, screen);
        }
        throw new StreamingException(GuacamoleStatus.UNSUPPORTED, refusal(endpoint.protocol(), false).orElseThrow());
    }

    /**
     * Why a display of this protocol cannot be shown here, for the user to read; empty when it can. VNC always can
     * (embedded bridge or guacd); RDP, SPICE and SSH only through an external guacd.
     */
    public static java.util.Optional<String> refusal(Protocol protocol, boolean guacdConfigured) {
        if (protocol == null || protocol == Protocol.VNC || guacdConfigured) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("This environment's display speaks "
                + protocol.json().toUpperCase(java.util.Locale.ROOT) + ". GenOS shows SPICE, RDP and SSH displays "
                + "through an external guacd, and none is configured here: ask your administrator to set "
                + "genos.streaming.guacd-host (see configs/README.md).");
    }
}
