package io.genos.streaming.rfb;

import java.io.IOException;

/** The VNC server refused us or spoke something this client does not understand. */
public class RfbException extends IOException {

    /** Why the session failed, so that callers can map it to a status a user can act on. */
    public enum Reason {
        AUTHENTICATION_FAILED, PASSWORD_REQUIRED, UNSUPPORTED, PROTOCOL_ERROR, REFUSED,
        /** The server went beyond one of {@link RfbLimits} (or asked for weaker security than agreed). */
        LIMIT
    }

    private final Reason reason;

    public RfbException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
