package io.genos.composer;

/** The conversation is not a request for an environment ("hello", "what's the weather"): nothing was composed. */
public class NotAnEnvironmentRequestException extends ComposerException {
    public NotAnEnvironmentRequestException(String message) {
        super(message);
    }
}
