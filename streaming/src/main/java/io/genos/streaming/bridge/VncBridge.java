package io.genos.streaming.bridge;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import io.genos.streaming.ClientScreen;
import io.genos.streaming.DisplayGateway;
import io.genos.streaming.StreamingException;
import io.genos.streaming.rfb.RfbClient;
import io.genos.streaming.rfb.RfbException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.apache.guacamole.net.GuacamoleTunnel;
import org.apache.guacamole.net.SimpleGuacamoleTunnel;
import org.apache.guacamole.protocol.GuacamoleStatus;

/**
 * The embedded bridge: opens VNC displays as Guacamole streams without guacd. As a {@link DisplayGateway} it
 * accepts only VNC endpoints.
 */
public final class VncBridge implements DisplayGateway {

    /**
     * @param connectTimeout     TCP connect and RFB handshake timeout
     * @param maxLagMillis       how long a frame waits for the client's {@code sync} before the next one is requested
     * @param keepAliveMillis    a {@code nop} is sent when nothing else was sent for this long
     * @param deflateLevel       PNG deflate level for ordinary updates
     * @param largeRectPixels    rectangles larger than this are deflated at level 1 (the fastest)
     * @param mergeSlackPixels   dirty rectangles are merged when their union wastes at most this many pixels
     * @param jpegQuality        JPEG quality (0..1) for regions that change often (see {@code LossyPolicy}); 0 turns
     *                           lossy encoding off (every update lossless PNG)
     */
    public record Options(Duration connectTimeout, long maxLagMillis, long keepAliveMillis, int deflateLevel,
            long largeRectPixels, long mergeSlackPixels, float jpegQuality) {

        public static final Options DEFAULTS = new Options(Duration.ofSeconds(10), 1000, 5000,
                Integer.getInteger("genos.bridge.deflateLevel", 3), 256 * 1024, 64 * 64,
                Float.parseFloat(System.getProperty("genos.bridge.jpegQuality", "0.9")));

        public Options {
            if (!(jpegQuality >= 0 && jpegQuality <= 1)) {
                throw new IllegalArgumentException("jpegQuality must be within 0..1, not " + jpegQuality);
            }
        }

        public boolean lossy() {
            return jpegQuality > 0;
        }
    }

    private final Options options;

    public VncBridge() {
        this(Options.DEFAULTS);
    }

    public VncBridge(Options options) {
        this.options = options;
    }

    @Override
    public GuacamoleTunnel open(DisplayEndpoint endpoint, ClientScreen screen) {
        if (endpoint.protocol() != Protocol.VNC) {
            throw new StreamingException(GuacamoleStatus.UNSUPPORTED, "The embedded bridge streams VNC only; "
                    + endpoint.protocol().json() + " displays need guacd (set genos.streaming.guacd-host)");
        }
        return new SimpleGuacamoleTunnel(connect(endpoint.host(), endpoint.port(), endpoint.password()));
    }

    /**
     * Connects to a VNC server and starts streaming; the session's reader first yields {@code size} and then the
     * whole screen.
     *
     * @throws StreamingException {@link GuacamoleStatus#CLIENT_UNAUTHORIZED} for a wrong or missing password,
     *     {@link GuacamoleStatus#UPSTREAM_UNAVAILABLE} / {@link GuacamoleStatus#UPSTREAM_TIMEOUT} when the display
     *     cannot be reached, {@link GuacamoleStatus#UPSTREAM_ERROR} when it speaks something else
     */
    public VncBridgeSession connect(String host, int port, String password) {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new StreamingException(GuacamoleStatus.CLIENT_BAD_REQUEST,
                    "Invalid VNC address " + host + ":" + port);
        }
        RfbClient rfb;
        try {
            rfb = RfbClient.connect(host, port, password, options.connectTimeout());
        } catch (RfbException e) {
            GuacamoleStatus status = switch (e.reason()) {
                case AUTHENTICATION_FAILED, PASSWORD_REQUIRED -> GuacamoleStatus.CLIENT_UNAUTHORIZED;
                default -> GuacamoleStatus.UPSTREAM_ERROR;
            };
            throw new StreamingException(status, e.getMessage(), e);
        } catch (ConnectException e) {
            throw new StreamingException(GuacamoleStatus.UPSTREAM_UNAVAILABLE,
                    "The display at " + host + ":" + port + " is not reachable (" + e.getMessage() + ")", e);
        } catch (SocketTimeoutException e) {
            throw new StreamingException(GuacamoleStatus.UPSTREAM_TIMEOUT,
                    "The display at " + host + ":" + port + " did not answer in time", e);
        } catch (IOException e) {
            throw new StreamingException(GuacamoleStatus.UPSTREAM_ERROR,
                    "Could not connect to the display at " + host + ":" + port + ": " + e.getMessage(), e);
        }
        VncBridgeSession session = new VncBridgeSession(rfb, options);
        try {
            session.start();
        } catch (IOException e) {
            session.close();
            throw new StreamingException(GuacamoleStatus.UPSTREAM_ERROR,
                    "Lost the display at " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return session;
    }
}
