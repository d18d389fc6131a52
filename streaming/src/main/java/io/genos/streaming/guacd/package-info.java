/**
 * The external guacd adapter: {@link io.genos.streaming.guacd.GuacdGateway} opens displays of any protocol guacd
 * knows (VNC, RDP, SPICE, SSH) through guacamole-common's {@code InetGuacamoleSocket} and
 * {@code ConfiguredGuacamoleSocket}.
 */
package io.genos.streaming.guacd;
