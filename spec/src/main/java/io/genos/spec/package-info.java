/**
 * The shared words of GenOS: {@link io.genos.spec.EnvironmentSpec} and its parts, the contract between
 * composer, policy, catalog, orchestrator and portal (see {@code shared/contracts/environment-spec.schema.json}).
 * Nothing here depends on any other GenOS module.
 */
package io.genos.spec;
