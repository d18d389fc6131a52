package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.docker;
import static io.genos.portal.support.Docker.removeLabelled;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.Environments;
import io.genos.portal.audit.AuditLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Profile keycloak in Chromium against a real Keycloak: the portal sends the browser to Keycloak's own sign-in page;
 * back signed in as preferred_username (audited like a local sign-in, no local password button), the user composes,
 * launches and sees the streamed desktop; signing out ends the Keycloak session too, so opening the portal again shows
 * Keycloak's sign-in page, not a signed-in page. Someone Keycloak knows but who has no GenOS role is refused, on a page
 * that says so (not sent round Keycloak for ever), and that is audited.
 */
class KeycloakSignInIT extends KeycloakPortal {

    private static volatile String launched;

    @Autowired
    AuditLog audit;

    @Autowired
    Environments environments;

    @AfterAll
    static void removeLeftovers() {
        if (launched != null) {
            removeLabelled("io.genos.environment=" + launched);
        }
    }

    @Test
    void signsInOnKeycloaksPageLaunchesADesktopAndSignsOutOfKeycloakToo() throws Exception {
        keycloak.createUser("kc-alice", "alice-pass-1", genosRole(), List.of());
        try (Browser alice = new Browser(base(), "kc-alice")) {
            long t0 = System.nanoTime();
            signedIn(alice, "kc-alice", "alice-pass-1");
            System.out.println("signed in through Keycloak in " + Duration.ofNanos(System.nanoTime() - t0).toMillis()
                    + " ms (portal → Keycloak's page → typed → back signed in)");
            alice.screenshot("signed-in");
            // a Keycloak user has no password in GenOS to change
            assertThat(alice.driver.findElements(By.id("change-password"))).noneMatch(e -> e.isDisplayed());
            assertThat(audit.recent("kc-alice", 20)).anyMatch(e -> e.action().equals("signed in")
                    && e.actor().equals("kc-alice") && e.detail().contains("through Keycloak (realm genos; ROLE_USER)"));

            String envId = launchDesktop(alice);
            launched = envId;
            assertThat(environments.find(envId).orElseThrow().owner()).isEqualTo("kc-alice");
            assertThat(keycloak.sessions("kc-alice")).hasSize(1);

            // signing out ends Keycloak's session too (RP-initiated logout) and comes back to the portal, which,
            // nobody being signed in, sends the browser to Keycloak's sign-in page
            alice.js("arguments[0].click()", alice.driver.findElement(By.id("logout")));
            alice.await(Duration.ofSeconds(30), d -> onKeycloakSignIn(d) ? true : null);
            alice.screenshot("signed-out");
            assertThat(keycloak.sessions("kc-alice")).isEmpty();
            // and the portal again: Keycloak's page (its session is gone, so it asks), never a signed-in page
            alice.open("/environments");
            alice.await(Duration.ofSeconds(30), d -> onKeycloakSignIn(d) ? true : null);
            assertThat(alice.driver.findElements(By.id("current-user"))).isEmpty();
            alice.screenshot("portal-again-asks");

            environments.destroy(envId, "kc-alice");
            alice.await(Duration.ofSeconds(60), d -> docker("ps", "-aq", "--filter", "label=io.genos.environment="
                    + envId).isBlank() ? true : null);
        }
    }

    @Test
    void someoneWithoutAGenosRoleIsRefusedOnAPageThatSaysSoAndItIsAudited() throws Exception {
        keycloak.createUser("kc-nobody", "nobody-pass-1", List.of(), List.of());
        try (Browser nobody = new Browser(base(), "kc-nobody")) {
            // the local sign-in page, bookmarked from before, has no password form here but leads to Keycloak's
            nobody.open("/login");
            var link = nobody.awaitElement("#sso-sign-in");
            assertThat(nobody.driver.findElements(By.cssSelector("vaadin-login-form"))).isEmpty();
            link.click();
            nobody.await(Duration.ofSeconds(30), d -> onKeycloakSignIn(d) ? true : null);
            signIn(nobody, "kc-nobody", "nobody-pass-1");
            String refusal = nobody.await(Duration.ofSeconds(20), d -> d.findElements(By.id("sso-error")).isEmpty()
                    ? null : d.findElement(By.id("sso-error")).getText());
            nobody.screenshot("refused");
            assertThat(refusal).contains("kc-nobody has neither of the realm roles genos-user and genos-admin");
            assertThat(nobody.driver.findElements(By.id("current-user"))).isEmpty();
            assertThat(audit.recent("kc-nobody", 10)).anyMatch(e -> e.action().equals("sign-in refused"));
            // the page offers to sign out of Keycloak, to sign in as someone else
            assertThat(nobody.driver.findElement(By.id("sso-sign-out")).getAttribute("href"))
                    .startsWith(keycloak.url + "/realms/genos/protocol/openid-connect/logout");
        }
    }
}
