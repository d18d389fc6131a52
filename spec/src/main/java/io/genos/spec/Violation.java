package io.genos.spec;

/** A policy rule the spec (or the raw request, with {@code field = "request"}) breaks. */
public record Violation(String field, String message) {}
