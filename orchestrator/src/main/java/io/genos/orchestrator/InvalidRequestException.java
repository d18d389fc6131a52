package io.genos.orchestrator;

/** The request is wrong (bad spec, duplicate name, unsupported kind); nothing was changed. */
public class InvalidRequestException extends OrchestratorException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
