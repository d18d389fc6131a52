package io.genos.orchestrator;

import java.time.Instant;

/** Published while an environment is provisioning or starting: a step, e.g. 70 "waiting for the display". */
public record EnvironmentProgress(String environmentId, String owner, int progress, String text, Instant at) {}
