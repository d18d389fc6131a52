/**
 * The policy gate: limits per environment and forbidden capabilities. Every path that provisions (portal, API,
 * CLI) passes through it, whichever composer produced the spec; a request beyond policy is refused with the
 * rule named, never silently clamped.
 */
package io.genos.spec.policy;
