package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentEvent;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Lifetime;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
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
 * The owner extends a lifetime from the session view in Chromium, on a real container: the countdown moves an hour
 * later, the record and the history say so, and an extension past the policy's longest lifetime (2 hours here) is
 * refused with the limit named and changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExtendLifetimeIT {

    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", () -> tempHome("genos-extend-").toString());
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
        registry.add("genos.policy.max-ttl", () -> "PT2H");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    Environments environments;

    @Autowired
    Catalog catalog;

    @AfterAll
    static void removeLeftovers() {
        if (launched != null) {
            removeLabelled("io.genos.environment=" + launched);
        }
    }

    @Test
    void theOwnerExtendsTheLifetimeInTheBrowserWithinThePolicy() throws Exception {
        ensureUser(users, encoder, "erin", "erin-pass-1");
        EnvironmentSpec spec = EnvironmentSpec.builder().name("extend-me").image("debian-shell")
                .resources(new Resources(1, 512, null, null)).lifetime(new Lifetime("PT30M", null)).build();
        Environment env = environments.launch(catalog.resolve(spec), "erin");
        launched = env.id();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> environments.find(env.id()).orElseThrow().state() == EnvironmentState.RUNNING);
        Instant first = environments.find(env.id()).orElseThrow().expiresAt();

        try (Browser erin = new Browser("http://localhost:" + port, "erin-extend")) {
            erin.signIn("erin", "erin-pass-1");
            erin.open("/session/" + env.id());
            erin.await(Duration.ofSeconds(20), d -> d.findElement(By.id("env-lifetime")).getText()
                    .matches("destroyed in (29|30) min") ? true : null);
            assertThat(TerminalIT.selected(erin, "extend-by")).isEqualTo("1 hour");

            erin.driver.findElement(By.id("extend-ttl")).click();
            erin.await(Duration.ofSeconds(10), d -> "Extended by 1 hour.".equals(
                    d.findElement(By.id("extend-status")).getText()) ? true : null);
            erin.await(Duration.ofSeconds(10), d -> d.findElement(By.id("env-lifetime")).getText()
                    .matches("destroyed in 1 h (29|30) min") ? true : null);
            Instant extended = environments.find(env.id()).orElseThrow().expiresAt();
            assertThat(extended).isEqualTo(first.plus(Duration.ofHours(1)));
            assertThat(environments.history(env.id())).extracting(EnvironmentEvent::reason)
                    .anyMatch(r -> r.startsWith("lifetime extended by 1 hour (until ") && r.endsWith(") by erin"));
            erin.screenshot("extended");

            // 30 min + 1 h + 1 h would pass the 2 hours allowed from creation: refused, the end stays.
            erin.driver.findElement(By.id("extend-ttl")).click();
            erin.await(Duration.ofSeconds(10), d -> d.findElement(By.id("extend-status")).getText()
                    .contains("at most 2 hours from its creation") ? true : null);
            assertThat(erin.driver.findElement(By.id("extend-status")).getText())
                    .containsPattern("the most it can be extended now is (29|30) minutes");
            erin.screenshot("refused");
            assertThat(environments.find(env.id()).orElseThrow().expiresAt()).isEqualTo(extended);
        }
        environments.destroy(env.id(), "erin");
    }
}
