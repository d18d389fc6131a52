package io.genos.portal.service;

/** The actor may not act on this environment: it belongs to another user (and they are not an admin). */
public class NotAllowedException extends RuntimeException {
    public NotAllowedException(String message) {
        super(message);
    }
}
