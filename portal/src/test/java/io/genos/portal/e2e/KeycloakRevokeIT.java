package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.removeLabelled;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.Environments;
import io.genos.portal.audit.AuditLog;
import io.genos.portal.security.UserAccess;
import io.genos.portal.security.sso.SsoSessions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A user disabled in Keycloak loses GenOS within a minute, while their desktop streams: carol and dave (the positive
 * control) each watch their own desktop in Chromium; an admin disables carol in Keycloak (admin REST API). The portal's
 * periodic check (a refresh-token grant per session, every 20 s) finds Keycloak refusing her session, and
 * UserAccess.revoke closes her display tunnel and ends her session: her next page is Keycloak's, not GenOS's. Dave keeps
 * his tunnel, his desktop and his pages through the next check. Erin, still enabled, loses her genos-user role in
 * Keycloak meanwhile: the refreshed ID token says so and she is out at the same check (her next page says why).
 */
class KeycloakRevokeIT extends KeycloakPortal {

    private static final List<String> launched = new ArrayList<>();

    @Autowired
    MeterRegistry meters;

    @Autowired
    SsoSessions sessions;

    @Autowired
    UserAccess access;

    @Autowired
    AuditLog audit;

    @Autowired
    Environments environments;

    @AfterAll
    static void removeLeftovers() {
        launched.forEach(id -> removeLabelled("io.genos.environment=" + id));
    }

    private double openTunnels() {
        var gauge = meters.find("genos.open").tag("kind", "tunnel").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void aUserDisabledInKeycloakLosesTheirTunnelAndPagesWithinAMinuteAndAnotherKeepsTheirs() throws Exception {
        keycloak.createUser("kc-carol", "carol-pass-1", genosRole(), List.of());
        keycloak.createUser("kc-dave", "dave-pass-1", genosRole(), List.of());
        keycloak.createUser("kc-erin", "erin-pass-1", genosRole(), List.of());
        try (Browser carol = new Browser(base(), "kc-carol"); Browser dave = new Browser(base(), "kc-dave");
                Browser erin = new Browser(base(), "kc-erin")) {
            signedIn(carol, "kc-carol", "carol-pass-1");
            signedIn(dave, "kc-dave", "dave-pass-1");
            signedIn(erin, "kc-erin", "erin-pass-1");
            String carolsEnv = launchDesktop(carol);
            launched.add(carolsEnv);
            String davesEnv = launchDesktop(dave);
            launched.add(davesEnv);
            double before = openTunnels();
            assertThat(before).isGreaterThanOrEqualTo(2);
            assertThat(sessions.signedIn()).extracting(SsoSessions.SignedIn::username).contains("kc-carol", "kc-dave");

            Instant disabledAt = Instant.now();
            long t0 = System.nanoTime();
            keycloak.setEnabled("kc-carol", false);
            // erin stays enabled but loses her GenOS role: her session goes at the same check
            keycloak.removeRealmRole("kc-erin", "genos-user");

            // her tunnel is closed by the portal (one fewer open), within a minute
            carol.await(Duration.ofSeconds(60), d -> openTunnels() <= before - 1 ? true : null);
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("kc-carol's tunnel closed " + closedAfter.toMillis() + " ms after Keycloak disabled her");
            assertThat(closedAfter).isLessThan(Duration.ofSeconds(60));
            carol.screenshot("tunnel-closed");
            assertThat(access.active("kc-carol")).isFalse();
            assertThat(sessions.signedIn()).extracting(SsoSessions.SignedIn::username).doesNotContain("kc-carol");
            assertThat(audit.recent("kc-carol", 20)).anyMatch(e -> e.action().equals("access revoked")
                    && e.subject().equals("user kc-carol") && e.detail().contains("User disabled"));

            // her pages are gone: the next one is Keycloak's (which refuses a disabled user), never GenOS's
            carol.open("/environments");
            carol.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().startsWith(keycloak.url) ? true : null);
            assertThat(carol.driver.findElements(By.id("current-user"))).isEmpty();
            carol.screenshot("pages-gone");
            System.out.println("kc-carol's pages gone " + Duration.ofNanos(System.nanoTime() - t0).toMillis()
                    + " ms after Keycloak disabled her");

            // erin, whose role was taken away, is out too, with that reason
            erin.await(Duration.ofSeconds(60), d -> sessions.signedIn().stream().noneMatch(s -> s.username()
                    .equals("kc-erin")) ? true : null);
            assertThat(audit.recent("kc-erin", 20)).anyMatch(e -> e.action().equals("access revoked")
                    && e.detail().contains("Keycloak no longer gives them ROLE_USER"));
            erin.open("/environments");
            erin.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().startsWith(base()) && !d.findElements(By.id(
                    "sso-error")).isEmpty() ? true : null);
            assertThat(erin.driver.findElements(By.id("current-user"))).isEmpty();
            erin.screenshot("role-taken-away");

            // the control: dave was checked after carol's disable and kept everything
            dave.await(Duration.ofSeconds(60), d -> sessions.signedIn().stream().anyMatch(s -> s.username()
                    .equals("kc-dave") && s.lastChecked() != null && s.lastChecked().isAfter(disabledAt)) ? true : null);
            assertThat(openTunnels()).isEqualTo(before - 1);
            assertThat(dave.driver.getCurrentUrl()).contains("/session/" + davesEnv);
            assertThat(dave.js("return document.getElementById('display')?.getAttribute('data-error')")).isNull();
            String hash = String.valueOf(dave.js(LaunchDesktopIT.CANVAS_HASH));
            assertThat(hash).isNotBlank();
            assertThat(access.active("kc-dave")).isTrue();
            dave.open("/environments");
            assertThat(dave.awaitElement("#current-user").getText()).isEqualTo("kc-dave");
            dave.screenshot("still-signed-in");

            // their environments stay (an admin decides what happens to them)
            assertThat(environments.find(carolsEnv).orElseThrow().state().name()).isEqualTo("RUNNING");
            environments.destroy(carolsEnv, "admin");
            environments.destroy(davesEnv, "admin");
        } finally {
            keycloak.setEnabled("kc-carol", true);
        }
    }
}
