package io.genos.portal.service;

/** An action refused because its user asked for too many of them in a minute; nothing was done. */
public class RateLimitedException extends RuntimeException {
    public RateLimitedException(String message) {
        super(message);
    }
}
