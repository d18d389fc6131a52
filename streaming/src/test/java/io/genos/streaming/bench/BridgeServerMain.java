package io.genos.streaming.bench;

import io.genos.streaming.bridge.GuacdCompatibleServer;
import io.genos.streaming.bridge.VncBridge;

/** Runs the guacd-compatible bridge server on an ephemeral loopback port, prints "PORT n", stops when stdin closes. */
public final class BridgeServerMain {

    private BridgeServerMain() {}

    public static void main(String[] args) throws Exception {
        try (GuacdCompatibleServer server = GuacdCompatibleServer.start(new VncBridge(), 0)) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
