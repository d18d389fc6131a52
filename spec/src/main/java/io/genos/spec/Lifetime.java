package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ISO-8601 durations: {@code ttl} until destroy, {@code idleTimeout} of no input until stop. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lifetime(String ttl, String idleTimeout) {}
