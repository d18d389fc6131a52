package io.genos.portal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The first admin adds a user in the admin console; the user signs in and is kept out of the console (users and
 * audit); the audit trail then shows the admin's action and the user's environment's life in one filterable list.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminUsersIT {

    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        String home = java.nio.file.Files.createTempDirectory("genos-admin-").toString();
        registry.add("genos.home", () -> home);
        registry.add("genos.portal.admin-password", () -> ADMIN_PASSWORD);
    }

    @LocalServerPort
    int port;

    @Autowired
    Environments environments;

    @Autowired
    Catalog catalog;

    private static volatile String launched;

    @AfterAll
    static void removeLeftovers() {
        if (launched != null) {
            io.genos.portal.support.Docker.removeLabelled("io.genos.environment=" + launched);
        }
    }

    @Test
    void theAdminAddsAUserWhoCanSignInButNotAdministrate() throws Exception {
        String base = "http://localhost:" + port;
        try (Browser admin = new Browser(base, "admin")) {
            admin.signIn("admin", ADMIN_PASSWORD);
            admin.open("/admin/users");
            admin.awaitElement("#new-username input").sendKeys("gina");
            admin.driver.findElement(By.cssSelector("#new-password input")).sendKeys("short");
            admin.driver.findElement(By.id("add-user")).click();
            admin.await(Duration.ofSeconds(10), d -> String.valueOf(admin.js(
                    "return [...document.querySelectorAll('vaadin-notification-card')].map(c => c.textContent).join(' ')"))
                    .contains("at least 10 characters") ? true : null);
            admin.driver.findElement(By.cssSelector("#new-password input")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "gina-password-1");
            admin.driver.findElement(By.id("add-user")).click();
            admin.await(Duration.ofSeconds(10), d -> String.valueOf(admin.js(
                    "return document.getElementById('users').textContent"))
                    .contains("gina") ? true : null);
            admin.screenshot("user-added");
        }
        try (Browser gina = new Browser(base, "gina")) {
            gina.signIn("gina", "gina-password-1");
            assertThat(gina.driver.findElement(By.id("current-user")).getText()).isEqualTo("gina");
            gina.open("/admin/users");
            gina.await(Duration.ofSeconds(10), d -> d.findElements(By.id("new-username")).isEmpty() ? true : null);
            assertThat(gina.driver.findElements(By.id("users"))).isEmpty();
            gina.open("/admin/audit");
            gina.await(Duration.ofSeconds(10), d -> d.findElements(By.id("audit-filter")).isEmpty() ? true : null);
            assertThat(gina.driver.findElements(By.id("audit"))).isEmpty();
            gina.screenshot("console-refused");
        }

        // gina's environment, launched and destroyed on the real Docker, and the admin's actions: one audit trail.
        EnvironmentSpec spec = EnvironmentSpec.builder().name("audited").image("debian-shell")
                .resources(new Resources(1, 256, null, null)).build();
        Environment env = environments.launch(catalog.resolve(spec), "gina");
        launched = env.id();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> environments.find(env.id()).orElseThrow().state() == EnvironmentState.RUNNING);
        environments.destroy(env.id(), "admin");
        try (Browser admin = new Browser(base, "admin-audit")) {
            admin.signIn("admin", ADMIN_PASSWORD);
            admin.open("/admin/audit");
            admin.awaitElement("#audit-filter input").sendKeys("gina");
            admin.await(Duration.ofSeconds(10), d -> {
                String trail = String.valueOf(admin.js("return document.getElementById('audit').textContent"));
                return trail.contains("user created") && trail.contains("user gina")
                        && trail.contains("environment audited (gina)") && trail.contains("running → destroyed")
                        && trail.contains("destroyed by admin") ? true : null;
            });
            admin.screenshot("audit");
            // A filter that matches nothing shows nothing.
            admin.driver.findElement(By.cssSelector("#audit-filter input"))
                    .sendKeys(Keys.chord(Keys.CONTROL, "a"), "nobody-" + UUID.randomUUID());
            admin.await(Duration.ofSeconds(10), d -> "0".equals(String.valueOf(admin.js(
                    "return document.getElementById('audit').size"))) ? true : null);
        }
    }
}
