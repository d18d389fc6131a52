package io.genos.orchestrator;

import java.time.Instant;

/** A longer text kept with an environment's history, such as the build log of an image layer its launch built. */
public record EnvironmentLog(String environmentId, Instant at, String title, String body) {}
