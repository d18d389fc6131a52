package io.genos.orchestrator;

/** Names an environment's resources in a runtime: the environment id and the runtime's own id (may be null). */
public record RuntimeHandle(String environmentId, String ref) {}
