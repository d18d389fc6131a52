package io.genos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI's own rules, without a portal: usage and settings errors, an unreachable portal, a refusal printed with its
 * rule, and the portal's text printed without control characters. (It is driven against the real portal in the
 * portal's ApiLifecycleIT.)
 */
class EnvCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return EnvCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void withoutACommandOrATokenItSaysHowAndEndsWithTwo() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("usage: ./genos env");
        assertThat(run(Map.of("GENOS_TOKEN_FILE", "/nonexistent"), "list")).isEqualTo(2);
        assertThat(err.toString()).contains("no API token");
        assertThat(run(Map.of("GENOS_TOKEN", "t", "GENOS_URL", "file:///etc/passwd"), "list")).isEqualTo(2);
    }

    @Test
    void aPortalThatCannotBeReachedEndsWithThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(run(Map.of("GENOS_TOKEN", "t", "GENOS_URL", "http://127.0.0.1:" + port), "list")).isEqualTo(3);
        assertThat(err.toString()).contains("cannot reach the portal");
    }

    @Test
    void refusalsNameTheirRuleAndTheServersTextCannotDriveTheTerminal() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/environments", x -> {
            boolean post = x.getRequestMethod().equals("POST");
            byte[] body = (post
                    ? "{\"status\":422,\"detail\":\"Not launched\",\"rule\":\"policy\",\"violations\":[\"resources.memory: too much\"]}"
                    : "[{\"id\":\"0123\",\"name\":\"evil\\u001b]0;pwned\\u0007\",\"state\":\"RUNNING\"}]")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(post ? 422 : 200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            var env = Map.of("GENOS_TOKEN", "t", "GENOS_URL", "http://127.0.0.1:" + server.getAddress().getPort());
            assertThat(run(env, "list")).isZero();
            assertThat(out.toString()).contains("evil?]0;pwned?").doesNotContain("\u001b").doesNotContain("\u0007");
            assertThat(run(env, "create", "a", "lot", "of", "memory")).isEqualTo(1);
            assertThat(err.toString()).contains("Not launched [policy]").contains("- resources.memory: too much");
        } finally {
            server.stop(0);
        }
    }
}
