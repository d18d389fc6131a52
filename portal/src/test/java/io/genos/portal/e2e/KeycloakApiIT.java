package io.genos.portal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With profile keycloak the API takes Keycloak's access tokens (from the realm's public client genos-cli): a GenOS
 * user's token composes as that user; a token of someone without a GenOS role is refused (403); no token is 401. A
 * user disabled in Keycloak gets no new token, and the one they hold stops working within a minute (the realm's
 * 50-second token lifetime and 5 s of clock skew), while another user's keeps working (the control).
 */
class KeycloakApiIT extends KeycloakPortal {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keycloakTokensOpenTheApiToGenosUsersOnlyAndStopForADisabledUser() throws Exception {
        keycloak.createUser("ulla", "ulla-pass-1", List.of("genos-user"), List.of());
        keycloak.createUser("vera", "vera-pass-1", List.of("genos-user"), List.of());
        keycloak.createUser("walt", "walt-pass-1", List.of(), List.of());
        String ulla = keycloak.userToken("ulla", "ulla-pass-1").orElseThrow();
        String walt = keycloak.userToken("walt", "walt-pass-1").orElseThrow();

        assertThat(call(null, "GET", "/api/v1/environments", null).statusCode()).isEqualTo(401);
        HttpResponse<String> list = call(ulla, "GET", "/api/v1/environments", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("[]");
        HttpResponse<String> composed = call(ulla, "POST", "/api/v1/compose",
                "{\"turns\":[\"a Debian shell container for an hour\"]}");
        assertThat(composed.statusCode()).isEqualTo(200);
        assertThat(composed.body()).contains("\"launchable\":true");
        assertThat(call(walt, "GET", "/api/v1/environments", null).statusCode()).as("no GenOS role").isEqualTo(403);
        assertThat(call("not.a.jwt", "GET", "/api/v1/environments", null).statusCode()).isEqualTo(401);

        keycloak.setEnabled("ulla", false);
        assertThat(keycloak.userToken("ulla", "ulla-pass-1")).as("no new token once disabled").isEmpty();
        long disabledAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> call(ulla, "GET", "/api/v1/environments", null).statusCode() == 401);
        long took = (System.nanoTime() - disabledAt) / 1_000_000_000L;
        System.out.println("KeycloakApiIT: a disabled user's API token stopped " + took + " s after the disable");
        assertThat(took).as("the token lifetime (50 s) and 5 s of clock skew").isLessThanOrEqualTo(60);
        // the control: another user still gets tokens, and they work
        String fresh = keycloak.userToken("vera", "vera-pass-1").orElseThrow();
        assertThat(call(fresh, "GET", "/api/v1/environments", null).statusCode()).isEqualTo(200);
    }
}
