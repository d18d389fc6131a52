/**
 * The Docker adapter of {@link io.genos.orchestrator.EnvironmentRuntime} (docker-java over the httpclient5 transport,
 * Docker API 1.41): containers with CPU, memory and process limits, the product's labels, a per-environment VNC
 * password, and the display reachable only from this host — published on 127.0.0.1 for open egress, or at the
 * container's address on a per-environment internal bridge (no route out) for egress none.
 */
package io.genos.orchestrator.docker;
