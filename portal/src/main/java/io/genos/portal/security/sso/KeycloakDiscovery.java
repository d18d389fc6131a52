package io.genos.portal.security.sso;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.json.JsonParseException;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * The portal's client registration from the realm's OpenID configuration, read at start. Keycloak down, a missing
 * realm, an issuer that differs from the configured URL or a client secret Keycloak refuses each stop the start with a
 * sentence that says which and what to do ({@link KeycloakStartException}); while nothing answers (Keycloak starting
 * beside the portal) the start waits up to {@code genos.sso.startup-wait}.
 */
final class KeycloakDiscovery {
    private static final Logger log = LoggerFactory.getLogger(KeycloakDiscovery.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String SEE = " (see configs/keycloak/README.md)";

    private KeycloakDiscovery() {}

    static ClientRegistration registration(SsoProperties p) {
        if (p.url().isEmpty()) {
            throw new KeycloakStartException("Profile keycloak is active but no Keycloak URL is configured.",
                    "Set GENOS_KEYCLOAK_URL (genos.sso.url) to Keycloak's base URL, e.g. http://localhost:8180" + SEE
                            + ", or run without the profile keycloak to use local users.", null);
        }
        if (!p.url().startsWith("http://") && !p.url().startsWith("https://")) {
            throw new KeycloakStartException("GENOS_KEYCLOAK_URL (genos.sso.url) is not an http(s) URL: " + p.url(),
                    "Set it to Keycloak's base URL, e.g. https://sso.example.org" + SEE + ".", null);
        }
        if (p.clientSecret().isEmpty()) {
            throw new KeycloakStartException("Profile keycloak is active but the client secret of '" + p.clientId()
                    + "' is not configured.", "Set GENOS_KEYCLOAK_CLIENT_SECRET (genos.sso.client-secret) to the secret "
                    + "of the client '" + p.clientId() + "' in realm '" + p.realm() + "'" + SEE + ".", null);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Map<String, Object> metadata = metadata(http, p);
        Object issuer = metadata.get("issuer");
        if (!p.issuer().equals(issuer)) {
            throw new KeycloakStartException("Keycloak at " + p.url() + " calls realm '" + p.realm() + "' " + issuer
                    + ", not " + p.issuer() + ": the tokens it signs would not be accepted.", "Set GENOS_KEYCLOAK_URL "
                    + "to the URL Keycloak calls itself (its hostname setting), the one browsers reach it at" + SEE + ".",
                    null);
        }
        ClientRegistration registration = ClientRegistrations.fromOidcConfiguration(metadata)
                .registrationId(SsoProperties.REGISTRATION).clientId(p.clientId()).clientSecret(p.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .scope("openid", "profile", "email").userNameAttributeName("preferred_username")
                .clientName("Keycloak (" + p.realm() + ")").build();
        checkClient(http, p, metadata.get("introspection_endpoint"));
        log.info("Signing in through Keycloak realm {} at {} as client {}", p.realm(), p.url(), p.clientId());
        return registration;
    }

    /** The realm's OpenID configuration; waits while nothing answers, up to the startup wait. */
    private static Map<String, Object> metadata(HttpClient http, SsoProperties p) {
        String where = p.issuer() + "/.well-known/openid-configuration";
        long deadline = System.nanoTime() + p.startupWait().toNanos();
        long nextLog = 0;
        while (true) {
            String unreachable;
            Exception cause;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(where)).timeout(TIMEOUT).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    try {
                        return JsonParserFactory.getJsonParser().parseMap(r.body());
                    } catch (JsonParseException e) {
                        throw new KeycloakStartException(where + " does not answer an OpenID configuration: is "
                                + p.url() + " Keycloak?", "Set GENOS_KEYCLOAK_URL to Keycloak's base URL" + SEE + ".", e);
                    }
                }
                if (r.statusCode() == 404) {
                    throw new KeycloakStartException("Keycloak at " + p.url() + " has no realm '" + p.realm()
                            + "' (HTTP 404 for " + where + ").", "Import configs/keycloak/genos-realm.json into Keycloak "
                            + "(kc.sh start --import-realm) or set GENOS_KEYCLOAK_REALM to the realm GenOS uses" + SEE
                            + ".", null);
                }
                if (r.statusCode() < 500) {
                    throw new KeycloakStartException(where + " answers HTTP " + r.statusCode() + ", not the realm's "
                            + "OpenID configuration.", "Check GENOS_KEYCLOAK_URL and GENOS_KEYCLOAK_REALM" + SEE + ".",
                            null);
                }
                unreachable = "it answers HTTP " + r.statusCode();
                cause = null;
            } catch (HttpTimeoutException e) {
                unreachable = "it did not answer within " + TIMEOUT.toSeconds() + " s";
                cause = e;
            } catch (ConnectException e) {
                unreachable = "nothing answers there (connection refused)";
                cause = e;
            } catch (IOException e) {
                unreachable = "it cannot be reached (" + e + ")";
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeycloakStartException("Interrupted while waiting for Keycloak at " + p.url(), "", e);
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new KeycloakStartException("Keycloak is not reachable at " + p.url() + " (realm '" + p.realm()
                        + "'): " + unreachable + "; waited " + p.startupWait().toSeconds() + " s for " + where + ".",
                        "Start Keycloak, or set GENOS_KEYCLOAK_URL to where it runs" + SEE
                                + ". To use local users instead, run without the profile keycloak.", cause);
            }
            if (now - nextLog >= 0) {
                log.warn("Waiting for Keycloak at {} ({}); the start gives up after {} s", p.url(), unreachable,
                        p.startupWait().toSeconds());
                nextLog = now + Duration.ofSeconds(10).toNanos();
            }
            try {
                Thread.sleep(Math.min(1000, Math.max(1, (deadline - now) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeycloakStartException("Interrupted while waiting for Keycloak at " + p.url(), "", e);
            }
        }
    }

    /**
     * Authenticates the client at the realm's introspection endpoint with a token that means nothing: Keycloak answers
     * 200 ({@code "active":false}) when id and secret are right and 401 {@code invalid_client} when they are not
     * (without this, a wrong secret would show only at the first sign-in, as a failed code exchange).
     */
    private static void checkClient(HttpClient http, SsoProperties p, Object introspection) {
        if (!(introspection instanceof String uri) || uri.isBlank()) {
            return;
        }
        String basic = Base64.getEncoder().encodeToString((form(p.clientId()) + ":" + form(p.clientSecret()))
                .getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT)
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=genos-start-check")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new KeycloakStartException("Keycloak realm '" + p.realm() + "' refuses the client '" + p.clientId()
                        + "' with the configured secret (HTTP " + r.statusCode() + ": " + r.body() + ").",
                        "Set GENOS_KEYCLOAK_CLIENT_SECRET to the secret of the client '" + p.clientId() + "' (Keycloak "
                                + "admin console: Clients → " + p.clientId() + " → Credentials)" + SEE + ".", null);
            }
            if (r.statusCode() != 200) {
                log.warn("Could not check the client secret at {}: HTTP {}", uri, r.statusCode());
            }
        } catch (IOException e) {
            throw new KeycloakStartException("Keycloak's introspection endpoint " + uri + " cannot be reached (" + e
                    + ").", "Check that the portal reaches Keycloak at that address" + SEE + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakStartException("Interrupted while checking the client at Keycloak", "", e);
        }
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
