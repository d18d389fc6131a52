package io.genos.streaming.rfb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Builds an RfbClient past a scripted security-None handshake, for tests of other packages. */
public final class RfbTestAccess {

    private RfbTestAccess() {}

    public static RfbClient connectedClient(int width, int height, OutputStream sent) {
        try {
            RfbClientTest.Script server = new RfbClientTest.Script().version("003.008").u8(1, 1).s32(0).serverInit(width, height);
            return RfbClient.handshake(new ByteArrayInputStream(server.bytes.toByteArray()), sent, null, () -> {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
