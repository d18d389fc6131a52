package io.genos.orchestrator;

import java.time.Instant;

/** One recorded state change of an environment: who, when, from what to what, and why. */
public record EnvironmentEvent(
        String environmentId, Instant at, String actor, EnvironmentState from, EnvironmentState to, String reason) {}
