/**
 * Environments and their lifecycle: the {@link io.genos.orchestrator.Environments} service the portal calls, the
 * {@link io.genos.orchestrator.Environment} record and its {@link io.genos.orchestrator.EnvironmentState} machine,
 * persistence (Spring JDBC and Flyway migrations V1..V99 in {@code db/migration}), the events published on every
 * state change, and the {@link io.genos.orchestrator.EnvironmentRuntime} port that the Docker adapter (and later
 * libvirt) implements. Everything not named here is package-private.
 */
package io.genos.orchestrator;
