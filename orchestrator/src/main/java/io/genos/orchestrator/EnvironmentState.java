package io.genos.orchestrator;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of an environment and the transitions between them.
 *
 * <pre>
 * REQUESTED ─▶ PROVISIONING ─▶ RUNNING ⇄ STOPPED ─▶ DESTROYED
 *     │             │             │         │
 *     └─────────────┴──▶ FAILED ◀─┴─────────┘      FAILED ─▶ DESTROYED, RUNNING ─▶ DESTROYED
 * </pre>
 *
 * FAILED is reached from PROVISIONING or RUNNING, and also from REQUESTED (provisioning could not even begin, e.g.
 * GenOS restarted) and from STOPPED (a start whose display never answered). DESTROYED is final.
 */
public enum EnvironmentState {
    REQUESTED,
    PROVISIONING,
    RUNNING,
    STOPPED,
    FAILED,
    DESTROYED;

    private static final Map<EnvironmentState, Set<EnvironmentState>> NEXT = Map.of(
            REQUESTED, EnumSet.of(PROVISIONING, FAILED),
            PROVISIONING, EnumSet.of(RUNNING, FAILED),
            RUNNING, EnumSet.of(STOPPED, FAILED, DESTROYED),
            STOPPED, EnumSet.of(RUNNING, FAILED, DESTROYED),
            FAILED, EnumSet.of(DESTROYED),
            DESTROYED, EnumSet.noneOf(EnvironmentState.class));

    /** The states this one may move to. */
    public Set<EnvironmentState> next() {
        return Set.copyOf(NEXT.get(this));
    }

    public boolean canMoveTo(EnvironmentState to) {
        return NEXT.get(this).contains(to);
    }

    /** @throws IllegalTransitionException when the move is not in the table, naming what is allowed */
    public void checkMoveTo(EnvironmentState to) {
        if (!canMoveTo(to)) {
            throw new IllegalTransitionException(this, to);
        }
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
