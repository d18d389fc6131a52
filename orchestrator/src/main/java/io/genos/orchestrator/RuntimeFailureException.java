package io.genos.orchestrator;

/** The runtime (Docker, libvirt) refused an operation, is unavailable, or the display did not answer in time. */
public class RuntimeFailureException extends OrchestratorException {
    public RuntimeFailureException(String message) {
        super(message);
    }

    public RuntimeFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
