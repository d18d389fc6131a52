package io.genos.composer;

/** The root of the composer's errors; each subclass is one category a caller maps to a status or exit code. */
public class ComposerException extends RuntimeException {
    public ComposerException(String message) {
        super(message);
    }

    public ComposerException(String message, Throwable cause) {
        super(message, cause);
    }
}
