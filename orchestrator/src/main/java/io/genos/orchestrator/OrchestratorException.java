package io.genos.orchestrator;

/**
 * The orchestrator's one unchecked root exception. Its message is meant for the user: the portal shows it as is.
 * Subclasses say the category: {@link InvalidRequestException} (bad input, nothing changed),
 * {@link EnvironmentNotFoundException}, {@link SnapshotNotFoundException} (both 404), {@link IllegalTransitionException} (conflict with the current state) and
 * {@link RuntimeFailureException} (Docker or libvirt refused or is unavailable).
 */
public class OrchestratorException extends RuntimeException {
    public OrchestratorException(String message) {
        super(message);
    }

    public OrchestratorException(String message, Throwable cause) {
        super(message, cause);
    }
}
