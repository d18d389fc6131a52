package io.genos.portal.security.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Keycloak missing or misconfigured at start stops the portal with a sentence that says what and what to do (a stub
 * server plays Keycloak here; the real one is in the Keycloak*IT tests).
 */
class KeycloakDiscoveryTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static SsoProperties props(String url, String secret, Duration wait) {
        return new SsoProperties(url, "genos", "genos-portal", secret, null, wait, null, null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void nothingAnsweringStopsTheStartWithTheUrlAndWhatToDo() throws Exception {
        String url = "http://127.0.0.1:" + freePort();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> KeycloakDiscovery.registration(props(url, "s", Duration.ofMillis(1500))))
                .isInstanceOf(KeycloakStartException.class)
                .hasMessageContaining("Keycloak is not reachable at " + url)
                .hasMessageContaining("connection refused")
                .satisfies(e -> assertThat(((KeycloakStartException) e).action()).contains("Start Keycloak",
                        "GENOS_KEYCLOAK_URL", "configs/keycloak/README.md"));
        // it waited (Keycloak may be starting beside the portal), and not much longer than asked
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(10));
    }

    @Test
    void theFailureReportIsThatSentenceNotAStackTrace() {
        KeycloakStartException e = new KeycloakStartException("Keycloak is not reachable at http://x", "Start it.", null);
        FailureAnalysis a = new KeycloakFailureAnalyzer().analyze(new IllegalStateException("context", e));
        assertThat(a.getDescription()).isEqualTo("Keycloak is not reachable at http://x");
        assertThat(a.getAction()).isEqualTo("Start it.");
    }

    @Test
    void missingSettingsAreNamed() {
        assertThatThrownBy(() -> KeycloakDiscovery.registration(props("", "s", Duration.ZERO)))
                .hasMessageContaining("no Keycloak URL")
                .satisfies(e -> assertThat(((KeycloakStartException) e).action()).contains("GENOS_KEYCLOAK_URL"));
        assertThatThrownBy(() -> KeycloakDiscovery.registration(props("http://localhost:1", "", Duration.ZERO)))
                .satisfies(e -> assertThat(((KeycloakStartException) e).action())
                        .contains("GENOS_KEYCLOAK_CLIENT_SECRET"));
    }

    @Test
    void aMissingRealmAWrongIssuerAndARefusedSecretAreSaidAsSuch() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        String[] issuer = {url + "/realms/genos"};
        server.createContext("/realms/genos/.well-known/openid-configuration", x -> {
            String base = url + "/realms/genos/protocol/openid-connect";
            byte[] body = ("{\"issuer\":\"" + issuer[0] + "\",\"authorization_endpoint\":\"" + base + "/auth\","
                    + "\"token_endpoint\":\"" + base + "/token\",\"jwks_uri\":\"" + base + "/certs\","
                    + "\"userinfo_endpoint\":\"" + base + "/userinfo\",\"introspection_endpoint\":\"" + base
                    + "/token/introspect\",\"end_session_endpoint\":\"" + base + "/logout\","
                    + "\"subject_types_supported\":[\"public\"],\"response_types_supported\":[\"code\"],"
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/realms/genos/protocol/openid-connect/token/introspect", x -> {
            boolean right = ("Basic " + java.util.Base64.getEncoder().encodeToString("genos-portal:right"
                    .getBytes(StandardCharsets.UTF_8))).equals(x.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (right ? "{\"active\":false}" : "{\"error\":\"invalid_client\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(right ? 200 : 401, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();

        assertThat(KeycloakDiscovery.registration(props(url, "right", Duration.ZERO)).getProviderDetails().getIssuerUri())
                .isEqualTo(url + "/realms/genos");

        assertThatThrownBy(() -> KeycloakDiscovery.registration(props(url, "wrong", Duration.ZERO)))
                .hasMessageContaining("refuses the client 'genos-portal'")
                .satisfies(e -> assertThat(((KeycloakStartException) e).action())
                        .contains("GENOS_KEYCLOAK_CLIENT_SECRET"));

        assertThatThrownBy(() -> KeycloakDiscovery.registration(new SsoProperties(url, "other", null, "right", null,
                Duration.ZERO, null, null))).hasMessageContaining("has no realm 'other'")
                .satisfies(e -> assertThat(((KeycloakStartException) e).action()).contains("genos-realm.json"));

        issuer[0] = "http://sso.example.org/realms/genos";
        assertThatThrownBy(() -> KeycloakDiscovery.registration(props(url, "right", Duration.ZERO)))
                .hasMessageContaining("calls realm 'genos' http://sso.example.org/realms/genos");
    }
}
