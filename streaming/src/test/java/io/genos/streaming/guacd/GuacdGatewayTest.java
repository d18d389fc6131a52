package io.genos.streaming.guacd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import io.genos.streaming.ClientScreen;
import io.genos.streaming.StreamingException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.guacamole.io.GuacamoleReader;
import org.apache.guacamole.io.ReaderGuacamoleReader;
import org.apache.guacamole.io.WriterGuacamoleWriter;
import org.apache.guacamole.net.GuacamoleTunnel;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.apache.guacamole.protocol.GuacamoleStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GuacdGateway} against a fake guacd: a server socket that speaks the handshake as guacd 1.5+ does
 * ({@code select} → {@code args} with its version and the parameter names it wants → the client's {@code size},
 * {@code audio}, {@code video}, {@code image}, {@code timezone} → {@code connect} with one value per name →
 * {@code ready}), then sends one {@code sync}. The test reads back which protocol was selected and which value reached
 * each parameter.
 */
class GuacdGatewayTest {

    /** The parameters a guacd asks for (a subset of guacd's real lists, in its order). */
    private static final Map<String, List<String>> ARGS = Map.of(
            "rdp", List.of("hostname", "port", "domain", "username", "password", "security", "ignore-cert",
                    "resize-method"),
            "spice", List.of("hostname", "port", "tls", "password"),
            "vnc", List.of("hostname", "port", "password"));

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    /** What the fake guacd saw: the selected protocol, each parameter's value, the opcodes before connect. */
    record Seen(String selected, Map<String, String> parameters, List<String> opcodes) {}

    private CompletableFuture<Seen> fakeGuacd(ServerSocket server) {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                GuacamoleReader in = new ReaderGuacamoleReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                WriterGuacamoleWriter out = new WriterGuacamoleWriter(
                        new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
                GuacamoleInstruction select = in.readInstruction();
                if (!select.getOpcode().equals("select")) {
                    throw new AssertionError("the first instruction was " + select + ", not select");
                }
                String protocol = select.getArgs().getFirst();
                List<String> names = ARGS.get(protocol);
                List<String> args = new ArrayList<>(List.of("VERSION_1_5_0"));
                args.addAll(names);
                out.writeInstruction(new GuacamoleInstruction("args", args));
                List<String> opcodes = new ArrayList<>();
                GuacamoleInstruction i;
                while (!(i = in.readInstruction()).getOpcode().equals("connect")) {
                    opcodes.add(i.getOpcode());
                }
                if (!i.getArgs().getFirst().equals("VERSION_1_5_0")) {
                    throw new AssertionError("connect does not start with the version: " + i);
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int k = 0; k < names.size(); k++) {
                    values.put(names.get(k), i.getArgs().get(k + 1));
                }
                out.writeInstruction(new GuacamoleInstruction("ready", "$fake-connection"));
                out.writeInstruction(new GuacamoleInstruction("sync", "1234"));
                seen.complete(new Seen(protocol, values, opcodes));
                s.getInputStream().read(); // until the client closes
            } catch (Throwable t) {
                seen.completeExceptionally(t);
            }
        });
        return seen;
    }

    private Seen open(DisplayEndpoint endpoint) throws Exception {
        ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        closing.add(server);
        CompletableFuture<Seen> seen = fakeGuacd(server);
        GuacamoleTunnel tunnel = new GuacdGateway("127.0.0.1", server.getLocalPort())
                .open(endpoint, new ClientScreen(1280, 800, 96));
        closing.add(tunnel::close);
        Seen s = seen.get(10, TimeUnit.SECONDS);
        assertThat(new String(tunnel.acquireReader().read())).as("guacd's first instruction after ready")
                .contains("4.sync,4.1234;");
        tunnel.releaseReader();
        return s;
    }

    @Test
    void rdpReachesGuacdWithHostPortUserPasswordAndTheCertificateAndSecuritySettings() throws Exception {
        Seen seen = open(new DisplayEndpoint(Protocol.RDP, "192.168.150.23", 3389, "s3cret pw", "genos"));

        assertThat(seen.selected()).isEqualTo("rdp");
        assertThat(seen.parameters()).containsEntry("hostname", "192.168.150.23").containsEntry("port", "3389")
                .containsEntry("username", "genos").containsEntry("password", "s3cret pw")
                .containsEntry("security", "any").containsEntry("ignore-cert", "true")
                .containsEntry("resize-method", "display-update").containsEntry("domain", "");
        assertThat(seen.opcodes()).contains("size", "image");
    }

    @Test
    void spiceReachesGuacdWithHostPortAndPassword() throws Exception {
        Seen seen = open(new DisplayEndpoint(Protocol.SPICE, "127.0.0.1", 5903, "spice-pw1"));

        assertThat(seen.selected()).isEqualTo("spice");
        assertThat(seen.parameters()).containsEntry("hostname", "127.0.0.1").containsEntry("port", "5903")
                .containsEntry("password", "spice-pw1").containsEntry("tls", "");
    }

    @Test
    void vncGetsNoRdpSettings() {
        var config = GuacdGateway.configuration(new DisplayEndpoint(Protocol.VNC, "127.0.0.1", 5901, "pw", "ignored"));

        assertThat(config.getParameters()).containsOnlyKeys("hostname", "port", "password");
    }

    @Test
    void aGuacdThatIsNotThereIsSaidPlainly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GuacdGateway gateway = new GuacdGateway("127.0.0.1", port);
        assertThatThrownBy(() -> gateway.open(new DisplayEndpoint(Protocol.SPICE, "127.0.0.1", 5900, null),
                ClientScreen.DEFAULT))
                .isInstanceOf(StreamingException.class)
                .hasMessageContaining("guacd at 127.0.0.1:" + port + " is not reachable")
                .extracting(e -> ((StreamingException) e).status())
                .isIn(GuacamoleStatus.UPSTREAM_NOT_FOUND, GuacamoleStatus.UPSTREAM_UNAVAILABLE);
    }
}
