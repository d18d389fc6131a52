package io.genos.streaming;

import org.apache.guacamole.protocol.GuacamoleStatus;

/**
 * A {@link TunnelAuthorizer} refused to open an environment's display: not signed in
 * ({@link GuacamoleStatus#CLIENT_UNAUTHORIZED}), not the owner nor an admin ({@link GuacamoleStatus#CLIENT_FORBIDDEN}),
 * or no such environment / not running ({@link GuacamoleStatus#RESOURCE_NOT_FOUND}).
 */
public class TunnelRefusedException extends StreamingException {

    public TunnelRefusedException(GuacamoleStatus status, String message) {
        super(status, message);
    }

    public static TunnelRefusedException unauthorized(String message) {
        return new TunnelRefusedException(GuacamoleStatus.CLIENT_UNAUTHORIZED, message);
    }

    public static TunnelRefusedException forbidden(String message) {
        return new TunnelRefusedException(GuacamoleStatus.CLIENT_FORBIDDEN, message);
    }

    public static TunnelRefusedException notFound(String message) {
        return new TunnelRefusedException(GuacamoleStatus.RESOURCE_NOT_FOUND, message);
    }
}
