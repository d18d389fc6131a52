package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.portal.support.KeycloakServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the Keycloak*IT tests share: the portal with profile keycloak against the test JVM's real Keycloak
 * ({@link KeycloakServer}), one Spring context for all of them (same configuration: Spring's test context cache), the
 * default check interval (20 s), and signing in on Keycloak's own page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("keycloak")
abstract class KeycloakPortal {

    private static final Path HOME = tempHome("genos-keycloak-e2e-");

    @DynamicPropertySource
    static void keycloak(DynamicPropertyRegistry registry) {
        KeycloakServer kc = KeycloakServer.get();
        registry.add("genos.home", HOME::toString);
        registry.add("genos.sso.url", () -> kc.url);
        registry.add("genos.sso.client-secret", () -> kc.clientSecret);
    }

    @LocalServerPort
    int port;

    final KeycloakServer keycloak = KeycloakServer.get();

    String base() {
        return "http://localhost:" + port;
    }

    @BeforeEach
    void allowThisPortal() {
        keycloak.allowPortal(base());
    }

    /** Whether the browser shows Keycloak's sign-in page of realm genos. */
    boolean onKeycloakSignIn(WebDriver d) {
        return d.getCurrentUrl().startsWith(keycloak.url + "/realms/genos/")
                && !d.findElements(By.id("username")).isEmpty() && !d.findElements(By.id("kc-login")).isEmpty();
    }

    /** Opens the portal, is sent to Keycloak's page, signs in there and comes back signed in. */
    void signIn(Browser b, String user, String password) {
        b.open("/");
        b.await(Duration.ofSeconds(30), d -> onKeycloakSignIn(d) ? true : null);
        assertThat(b.driver.findElements(By.id("current-user"))).isEmpty();
        b.screenshot("keycloak-sign-in-" + user);
        b.driver.findElement(By.id("username")).sendKeys(user);
        b.driver.findElement(By.id("password")).sendKeys(password);
        b.driver.findElement(By.id("kc-login")).click();
        b.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().startsWith(base()) ? true : null);
    }

    /** Signs in and waits for the portal's signed-in frame. */
    void signedIn(Browser b, String user, String password) {
        signIn(b, user, password);
        WebElement who = b.awaitElement("#current-user");
        assertThat(who.getText()).isEqualTo(user);
    }

    /**
     * Composes in the chat, picks the small openbox desktop on the card (as LaunchDesktopIT does), launches and waits
     * for the streamed desktop; returns the environment's id.
     */
    static String launchDesktop(Browser b) {
        b.awaitElement("#chat-input input").sendKeys("a Debian desktop with 1 CPU and 1 GB");
        b.driver.findElement(By.id("chat-send")).click();
        b.awaitElement("#spec-card");
        b.driver.findElement(By.id("spec-image")).click();
        WebElement item = b.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-select-item"))
                .stream().filter(i -> i.getText().strip().equals("debian-openbox")).findFirst().orElse(null));
        item.click();
        b.await(Duration.ofSeconds(10), d -> d.findElement(By.id("spec-image")).getText().contains("debian-openbox")
                ? true : null);
        b.screenshot("composed");
        b.driver.findElement(By.id("launch")).click();
        b.await(Duration.ofSeconds(20), d -> d.getCurrentUrl().contains("/session/") ? true : null);
        String id = b.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
        b.await(Duration.ofSeconds(90), d -> {
            Object error = b.js("return document.getElementById('display')?.getAttribute('data-error')");
            assertThat(error).as("display error").isNull();
            return LaunchDesktopIT.colours(b) > 3 ? true : null;
        });
        b.screenshot("desktop");
        return id;
    }

    static String notifications(Browser b) {
        return String.valueOf(b.js("return [...document.querySelectorAll('vaadin-notification-card')]"
                + ".map(c => c.textContent).join(' ')"));
    }

    static List<String> genosRole() {
        return List.of("genos-user");
    }
}
