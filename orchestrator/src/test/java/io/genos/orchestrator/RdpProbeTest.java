package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The RDP and SPICE probes against small servers that answer as a real one would, or not at all like one. */
class RdpProbeTest {

    /** Serves one connection: reads {@code expect} bytes, answers {@code answer}; completes with what it read. */
    private static CompletableFuture<byte[]> serve(ServerSocket server, int expect, byte[] answer) {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                byte[] got = s.getInputStream().readNBytes(expect);
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
                read.complete(got);
                s.getInputStream().read();
            } catch (IOException e) {
                read.completeExceptionally(e);
            }
        });
        return read;
    }

    @Test
    void anRdpServerConfirmsTheX224ConnectionRequest() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // TPKT length 19, X.224 Connection Confirm (0xD0), RDP_NEG_RSP choosing TLS
            byte[] confirm = {0x03, 0x00, 0x00, 0x13, 0x0e, (byte) 0xd0, 0, 0, 0x12, 0x34, 0, 0x02, 0x00, 0x08, 0x00,
                    0x01, 0, 0, 0};
            CompletableFuture<byte[]> read = serve(server, 19, confirm);

            RdpProbe.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 2000);

            byte[] request = read.get(5, TimeUnit.SECONDS);
            assertThat(request).startsWith(0x03, 0x00, 0x00, 0x13).contains((byte) 0xe0);
        }
    }

    @Test
    void somethingElseIsNotAnRdpServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve(server, 19, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
            assertThatThrownBy(() -> RdpProbe.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 2000))
                    .isInstanceOf(IOException.class).hasMessageContaining("not an RDP server");
        }
    }

    @Test
    void theSpiceLinkMessageIsAMainChannelRequestAndAnythingButRedqIsRefused() throws Exception {
        byte[] link = SpiceProbe.linkMessage();
        assertThat(link).hasSize(34).startsWith('R', 'E', 'D', 'Q', 2, 0, 0, 0, 2, 0, 0, 0, 18, 0, 0, 0);
        assertThat(link[20]).as("channel type main").isEqualTo((byte) 1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve(server, 34, "RFB 003.008\n1234".getBytes());
            assertThatThrownBy(() -> SpiceProbe.link(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 2000))
                    .isInstanceOf(IOException.class).hasMessageContaining("does not start with \"REDQ\"");
        }
    }
}
