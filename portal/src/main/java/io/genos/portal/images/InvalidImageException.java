package io.genos.portal.images;

/** A registration or removal that is refused; the message says why, for the admin. Nothing was changed. */
public class InvalidImageException extends RuntimeException {
    public InvalidImageException(String message) {
        super(message);
    }
}
