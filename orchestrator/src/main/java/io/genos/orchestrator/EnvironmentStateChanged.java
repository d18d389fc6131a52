package io.genos.orchestrator;

import java.time.Instant;

/**
 * Published (as a Spring application event) after every state change has been stored; {@code from} is
 * {@code null} for the first state, REQUESTED. Listeners run on the thread that made the change, often a
 * provisioning thread, so a UI must hand the event over to its own thread.
 */
public record EnvironmentStateChanged(
        String environmentId,
        String owner,
        EnvironmentState from,
        EnvironmentState to,
        String reason,
        String actor,
        Instant at) {}
