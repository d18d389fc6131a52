package io.genos.streaming.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import io.genos.streaming.ClientScreen;
import io.genos.streaming.SelectingDisplayGateway;
import io.genos.streaming.StreamingException;
import io.genos.streaming.StreamingProperties;
import io.genos.streaming.guacd.GuacdGateway;
import io.genos.streaming.support.DesktopContainer;
import io.genos.streaming.support.ProtocolClient;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;
import org.apache.guacamole.GuacamoleException;
import org.apache.guacamole.net.GuacamoleTunnel;
import org.apache.guacamole.net.InetGuacamoleSocket;
import org.apache.guacamole.protocol.ConfiguredGuacamoleSocket;
import org.apache.guacamole.protocol.GuacamoleConfiguration;
import org.apache.guacamole.protocol.GuacamoleStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bridge against a real Xvnc in a genos/debian-openbox container, through the guacd-compatible port. */
@org.junit.jupiter.api.Timeout(120)
class VncBridgeIT {

    private static final String PASSWORD = "genos123";
    private static DesktopContainer desktop;
    private static GuacdCompatibleServer server;

    @BeforeAll
    static void startDesktopAndServer() {
        desktop = DesktopContainer.start(PASSWORD, "1024x768");
        server = GuacdCompatibleServer.start(new VncBridge(), 0);
    }

    @AfterAll
    static void stopEverything() {
        if (server != null) {
            server.close();
        }
        if (desktop != null) {
            desktop.close();
        }
    }

    private static ProtocolClient connect(String password) throws GuacamoleException {
        GuacamoleConfiguration config = new GuacamoleConfiguration();
        config.setProtocol("vnc");
        config.setParameter("hostname", "127.0.0.1");
        config.setParameter("port", Integer.toString(desktop.port()));
        config.setParameter("password", password);
        ConfiguredGuacamoleSocket socket = new ConfiguredGuacamoleSocket(
                new InetGuacamoleSocket("127.0.0.1", server.port()), config);
        assertThat(socket.getConnectionID()).startsWith("$");
        return new ProtocolClient(socket, true, true);
    }

    /** The xterm's white background covers a good part of the 1024x768 screen once it is mapped. */
    private static boolean xtermVisible(ProtocolClient client) {
        if (client.syncs() == 0) {
            return false;
        }
        BufferedImage screen = client.screen();
        int white = 0;
        for (int y = 0; y < screen.getHeight(); y += 8) {
            for (int x = 0; x < screen.getWidth(); x += 8) {
                white += screen.getRGB(x, y) == 0xFFFFFFFF ? 1 : 0;
            }
        }
        return white > 2000;
    }

    @Test
    void streamsTheWholeDesktopAsPngAfterAGuacdHandshakeWithVncPassword() throws Exception {
        try (ProtocolClient client = connect(PASSWORD)) {
            client.await("the first frame", 10_000, () -> client.syncs() >= 1);
            assertThat(client.opcodes().getFirst()).isEqualTo("size");
            client.await("the xterm on screen", 20_000, () -> xtermVisible(client));

            assertThat(client.opcodes()).contains("img", "blob", "end", "sync");
            BufferedImage screen = client.screen();
            assertThat(screen.getWidth()).isEqualTo(1024);
            assertThat(screen.getHeight()).isEqualTo(768);
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < 768; y += 4) {
                for (int x = 0; x < 1024; x += 4) {
                    colours.add(screen.getRGB(x, y));
                }
            }
            // the openbox background (#2e3440) plus an xterm with text in it
            assertThat(colours).hasSizeGreaterThan(2).contains(0xFF2E3440);
        }
    }

    @Test
    void keysTypedThroughTheBridgeReachTheXtermAndNewFramesFollow() throws Exception {
        String file = "/tmp/typed-" + System.nanoTime();
        try (ProtocolClient client = connect(PASSWORD)) {
            client.await("the xterm on screen", 20_000, () -> xtermVisible(client));
            client.send("mouse", "300", "200", "0"); // over the xterm
            Thread.sleep(300);
            long framesBefore = client.syncs();

            client.type("touch " + file + "\n");

            long deadline = System.currentTimeMillis() + 10_000;
            while (!desktop.fileExists(file) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(desktop.fileExists(file)).as("file created by typing into the xterm").isTrue();
            client.await("frames showing the typed text", 5_000, () -> client.syncs() > framesBefore);
            assertThat(client.images()).isGreaterThan(1);
        }
    }

    @Test
    void fastChangingDetailedRegionsGoOutAsJpegAndAreRepaintedLosslesslyOnceStill() throws Exception {
        try (ProtocolClient client = connect(PASSWORD)) {
            client.await("the xterm on screen", 20_000, () -> xtermVisible(client));
            long jpegsBefore = client.jpegs();
            desktop.startNoise(256, 256, 20, 600, 300); // video-like: random pixels, 20 times a second
            try {
                client.await("JPEG for the moving picture", 20_000, () -> client.jpegs() > jpegsBefore + 10);
                desktop.exec("pkill -STOP -f '[g]enos-noise.py'"); // the picture stops and stays on screen
                Thread.sleep(300);
                long pngsAtRest = client.images() - client.jpegs();
                client.await("a lossless repaint of what went out as JPEG", 5_000,
                        () -> client.images() - client.jpegs() > pngsAtRest);
                Thread.sleep(VncBridgeSession.REPAIR_AFTER_MILLIS);
                long jpegsAfterRepair = client.jpegs();
                Thread.sleep(1500);
                assertThat(client.jpegs()).as("no JPEG once the screen is still").isEqualTo(jpegsAfterRepair);
            } finally {
                desktop.exec("pkill -KILL -f '[g]enos-noise.py'");
            }
        }
    }

    @Test
    void aWrongPasswordEndsTheStreamWithAnUnauthorizedError() throws Exception {
        try (ProtocolClient client = connect("wrong-pw")) {
            client.await("the error", 10_000, () -> client.error() != null);
            assertThat(client.error().getArgs().get(0)).containsIgnoringCase("authentication failed");
            assertThat(Integer.parseInt(client.error().getArgs().get(1)))
                    .isEqualTo(GuacamoleStatus.CLIENT_UNAUTHORIZED.getGuacamoleStatusCode());
            client.await("the end of the stream", 5_000, client::ended);
            assertThat(client.syncs()).isZero();
        }
    }

    @Test
    void aMalformedInstructionGetsABadRequestErrorAndClosesTheConnection() throws Exception {
        try (ProtocolClient client = connect(PASSWORD)) {
            client.await("the first frame", 10_000, () -> client.syncs() >= 1);
            client.send("mouse", "left", "10", "0");
            client.await("the error", 5_000, () -> client.error() != null);
            assertThat(client.error().getArgs().get(0)).contains("mouse").contains("not an integer");
            assertThat(client.error().getArgs().get(1))
                    .isEqualTo(Integer.toString(GuacamoleStatus.CLIENT_BAD_REQUEST.getGuacamoleStatusCode()));
            client.await("the end of the stream", 5_000, client::ended);
        }
    }

    @Test
    void rejectsAProtocolTheBridgeDoesNotServe() throws Exception {
        GuacamoleConfiguration config = new GuacamoleConfiguration();
        config.setProtocol("rdp");
        assertThatThrownBy(() -> new ConfiguredGuacamoleSocket(new InetGuacamoleSocket("127.0.0.1", server.port()), config))
                .isInstanceOf(org.apache.guacamole.GuacamoleUnsupportedException.class)
                .hasMessageContaining("\"rdp\" is not supported");
    }

    @Test
    void theGuacdGatewayOpensTheDesktopThroughAGuacdSpeakingServer() throws Exception {
        GuacamoleTunnel tunnel = new GuacdGateway("127.0.0.1", server.port()).open(
                new DisplayEndpoint(Protocol.VNC, "127.0.0.1", desktop.port(), PASSWORD), ClientScreen.DEFAULT);
        try {
            var first = tunnel.acquireReader().readInstruction();
            assertThat(first.getOpcode()).isEqualTo("size");
            assertThat(first.getArgs()).containsExactly("0", "1024", "768");
        } finally {
            tunnel.releaseReader();
            tunnel.close();
        }
    }

    @Test
    void theEmbeddedGatewayOpensVncAndRefusesAWrongPasswordUpFront() throws Exception {
        SelectingDisplayGateway gateway = SelectingDisplayGateway.forProperties(StreamingProperties.EMBEDDED);
        GuacamoleTunnel tunnel = gateway.open(
                new DisplayEndpoint(Protocol.VNC, "127.0.0.1", desktop.port(), PASSWORD), ClientScreen.DEFAULT);
        try {
            var first = tunnel.acquireReader().readInstruction();
            assertThat(first.getOpcode()).isEqualTo("size");
            String opcode;
            do {
                opcode = tunnel.acquireReader().readInstruction().getOpcode();
            } while (!opcode.equals("sync"));
        } finally {
            tunnel.releaseReader();
            tunnel.close();
        }
        assertThat(tunnel.isOpen()).isFalse();

        assertThatThrownBy(() -> gateway.open(
                new DisplayEndpoint(Protocol.VNC, "127.0.0.1", desktop.port(), "nope"), ClientScreen.DEFAULT))
                .isInstanceOf(StreamingException.class)
                .hasMessageContaining("authentication failed")
                .extracting(e -> ((StreamingException) e).status()).isEqualTo(GuacamoleStatus.CLIENT_UNAUTHORIZED);
    }
}
