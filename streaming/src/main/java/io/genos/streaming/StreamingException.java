package io.genos.streaming;

import org.apache.guacamole.protocol.GuacamoleStatus;

/**
 * The root of streaming's errors. Each carries the {@link GuacamoleStatus} a Guacamole client is sent (as an
 * {@code error} instruction) and whose WebSocket close code ends the tunnel, and a message a user can act on.
 */
public class StreamingException extends RuntimeException {

    private final GuacamoleStatus status;

    public StreamingException(GuacamoleStatus status, String message) {
        this(status, message, null);
    }

    public StreamingException(GuacamoleStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public GuacamoleStatus status() {
        return status;
    }
}
