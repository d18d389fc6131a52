/**
 * Streaming's API: the {@link io.genos.streaming.DisplayGateway} port that opens a Guacamole-protocol stream for a
 * {@link io.genos.spec.DisplayEndpoint}, its selection by {@link io.genos.streaming.StreamingProperties}
 * ({@link io.genos.streaming.DisplayGateways}), the {@link io.genos.streaming.TunnelAuthorizer} hook the portal
 * implements, and the module's exceptions, each carrying the Guacamole status a client is told.
 */
package io.genos.streaming;
