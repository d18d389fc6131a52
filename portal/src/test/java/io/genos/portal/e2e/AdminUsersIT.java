package io.genos.portal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The first admin adds a user in the admin console; the user signs in and is kept out of the console. */
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
            gina.screenshot("console-refused");
        }
    }
}
