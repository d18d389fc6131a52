package io.genos.orchestrator;

import java.util.stream.Collectors;

/** The environment's current state does not allow the requested change; nothing was changed. */
public class IllegalTransitionException extends OrchestratorException {
    private final EnvironmentState from;
    private final EnvironmentState to;

    public IllegalTransitionException(EnvironmentState from, EnvironmentState to) {
        super("an environment that is " + from.label() + " cannot become " + to.label()
                + (from.next().isEmpty() ? " (" + from.label() + " is final)"
                        : " (from " + from.label() + " it can become: "
                                + from.next().stream().sorted().map(EnvironmentState::label).collect(Collectors.joining(", "))
                                + ")"));
        this.from = from;
        this.to = to;
    }

    /** The state does not allow an operation that changes no state (e.g. a snapshot); {@code to} is the state. */
    public IllegalTransitionException(EnvironmentState state, String message) {
        super(message);
        this.from = state;
        this.to = state;
    }

    public EnvironmentState from() {
        return from;
    }

    public EnvironmentState to() {
        return to;
    }
}
