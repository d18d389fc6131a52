package io.genos.composer;

/** A composer that depends on an outside service (an LLM) is not configured, cannot reach it, or got nonsense. */
public class ComposerUnavailableException extends ComposerException {
    public ComposerUnavailableException(String message) {
        super(message);
    }

    public ComposerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
