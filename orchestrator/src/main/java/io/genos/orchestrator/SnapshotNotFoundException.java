package io.genos.orchestrator;

/** The environment exists but has no snapshot of this name; nothing was changed. */
public class SnapshotNotFoundException extends OrchestratorException {
    public SnapshotNotFoundException(String environmentId, String name) {
        super("environment " + environmentId + " has no snapshot named \"" + name + "\"");
    }
}
