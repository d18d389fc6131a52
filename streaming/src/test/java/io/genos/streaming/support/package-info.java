/**
 * Test support shared by the integration tests and the benchmark: a real genos/debian-openbox desktop container
 * driven through the docker CLI, and a protocol-level Guacamole client that decodes what the bridge sends.
 */
package io.genos.streaming.support;
