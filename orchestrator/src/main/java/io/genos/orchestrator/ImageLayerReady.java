package io.genos.orchestrator;

import java.time.Instant;

/** Published when a launch has a composed layer ready, built or from the cache: the layer was used now. */
public record ImageLayerReady(String environmentId, String ref, boolean fromCache, Instant at) {}
