/**
 * The bridge benchmark: {@link io.genos.streaming.bench.BridgeBench} runs the guacd-compatible server in a child
 * JVM ({@link io.genos.streaming.bench.BridgeServerMain}) against a real desktop container and measures first frame,
 * frame rate, bandwidth and the bridge's CPU for a static screen, a scrolling xterm and glxgears.
 */
package io.genos.streaming.bench;
