package io.genos.orchestrator;

/** No environment has this id. */
public class EnvironmentNotFoundException extends OrchestratorException {
    public EnvironmentNotFoundException(String id) {
        super("no environment with id " + id);
    }
}
