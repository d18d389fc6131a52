/**
 * The embedded VNC-to-Guacamole bridge: {@link io.genos.streaming.bridge.VncBridge} opens an RFB session and wraps
 * it as a Guacamole socket whose reader yields {@code size}/{@code img}/{@code copy}/{@code cursor}/{@code sync}
 * instructions paced by the client's {@code sync} acknowledgements, and whose writer turns {@code mouse}, {@code key},
 * {@code size}, {@code clipboard} and {@code disconnect} into RFB messages; plus the PNG encoder it uses and the
 * guacd-compatible TCP server that lets stock Guacamole clients talk to it as to guacd.
 */
package io.genos.streaming.bridge;
