/**
 * The browser side: {@link io.genos.streaming.web.GuacamoleTunnelHandler}, a Spring WebSocket handler speaking the
 * sub-protocol of guacamole-common-js's {@code Guacamole.WebSocketTunnel}, which authorises the user through the
 * portal's {@link io.genos.streaming.TunnelAuthorizer}, opens the display through a
 * {@link io.genos.streaming.DisplayGateway} and relays instructions both ways.
 */
package io.genos.streaming.web;
