package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.Environments;
import io.genos.portal.service.Actor;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.service.LaunchRefusedException;
import io.genos.portal.service.RateLimitedException;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Resources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web front door hardened: every page carries a Content-Security-Policy that forbids framing and foreign
 * sources, nosniff, a same-origin referrer policy, and a SameSite session cookie; the app still works under them in
 * Chromium (sign in, compose) and says in the chat what policy refuses, with the rule; launches beyond the per-user
 * rate are refused before anything else is checked or created.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebHardeningIT {

    private static final Path HOME = tempHome("genos-web-e2e-");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
        registry.add("genos.portal.rate.launch-per-minute", () -> "2");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    EnvironmentService service;

    @Autowired
    Environments environments;

    @Test
    void pagesCarryTheSecurityHeadersAndTheAppWorksUnderThem() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        var h = login.headers();
        assertThat(h.firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'")
                .contains("default-src 'self'").contains("object-src 'none'");
        assertThat(h.firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(h.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(h.firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(h.allValues("Set-Cookie")).anyMatch(c -> c.startsWith("JSESSIONID=") && c.contains("SameSite=Lax")
                && c.contains("HttpOnly"));

        ensureUser(users, encoder, "wendy", "wendy-pass-1");
        try (Browser wendy = new Browser("http://localhost:" + port, "wendy-hardened")) {
            wendy.signIn("wendy", "wendy-pass-1");
            wendy.awaitElement("#chat-input input").sendKeys("a debian xfce desktop with 64 CPUs");
            wendy.driver.findElement(By.id("chat-send")).click();
            wendy.awaitElement("#spec-card");
            String refusal = wendy.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector(".chat-refusal"))
                    .stream().map(e -> e.getText()).findFirst().orElse(null));
            assertThat(refusal).startsWith("This would be refused: ").containsIgnoringCase("cpus");
            assertThat(wendy.js("return document.getElementById('launch').hasAttribute('disabled')")).isEqualTo(true);
            wendy.screenshot("refused-in-the-chat");
        }
    }

    @Test
    void launchesBeyondTheRateAreRefusedBeforeAnythingIsChecked() {
        Actor vic = new Actor("vic", false, List.of("ROLE_USER"));
        EnvironmentSpec tooBig = EnvironmentSpec.builder().name("big").image("debian-shell")
                .resources(new Resources(640, 512, null, null)).build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> service.launch(tooBig, List.of(), vic)).isInstanceOf(LaunchRefusedException.class);
        }
        assertThatThrownBy(() -> service.launch(tooBig, List.of(), vic)).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("at most 2");
        assertThat(environments.listByOwner("vic")).isEmpty();
    }
}
