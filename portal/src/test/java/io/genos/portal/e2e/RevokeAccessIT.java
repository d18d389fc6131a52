package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.Environments;
import io.genos.portal.audit.AuditLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A user an admin disables loses GenOS at once, in two real Chromium sessions: ivan has a terminal open in his
 * environment (it works: the positive control); the admin disables him in the Users view; his open terminal is closed
 * within seconds, his next page is the sign-in page, and signing in again is refused. (Before, a disabled user kept
 * browsing with the session they had and could open a new tunnel to their desktop.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RevokeAccessIT {

    private static final Path HOME = tempHome("genos-revoke-e2e-");
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> ADMIN_PASSWORD);
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
    AuditLog audit;

    @AfterAll
    static void removeLeftovers() {
        if (launched != null) {
            removeLabelled("io.genos.environment=" + launched);
        }
    }

    private static Object terminalState(Browser b) {
        return b.js("return document.getElementById('terminal')?.getAttribute('data-state')");
    }

    @Test
    void aDisabledUserLosesTheirOpenTerminalAndTheirPagesAtOnce() throws Exception {
        ensureUser(users, encoder, "ivan", "ivan-pass-1");
        String base = "http://localhost:" + port;
        try (Browser ivan = new Browser(base, "ivan-revoked"); Browser admin = new Browser(base, "admin-revokes")) {
            ivan.signIn("ivan", "ivan-pass-1");
            ivan.awaitElement("#chat-input input").sendKeys("a debian shell, terminal only");
            ivan.driver.findElement(By.id("chat-send")).click();
            ivan.awaitElement("#spec-card");
            ivan.driver.findElement(By.id("launch")).click();
            ivan.await(Duration.ofSeconds(20), d -> d.getCurrentUrl().contains("/session/") ? true : null);
            String envId = ivan.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
            launched = envId;
            ivan.await(Duration.ofSeconds(90), d -> "open".equals(terminalState(ivan)) ? true : null);
            // the positive control: the terminal works before the admin acts
            WebElement terminal = ivan.driver.findElement(By.id("terminal"));
            new Actions(ivan.driver).moveToElement(terminal).click().perform();
            new Actions(ivan.driver).sendKeys("echo before-$((6*7))\n").perform();
            ivan.await(Duration.ofSeconds(20), d -> TerminalIT.screen(ivan).contains("before-42") ? true : null);
            ivan.screenshot("terminal-works");

            admin.signIn("admin", ADMIN_PASSWORD);
            admin.open("/admin/users");
            WebElement disable = admin.awaitElement("#disable-ivan");
            admin.js("arguments[0].click()", disable);
            admin.await(Duration.ofSeconds(10), d -> d.findElements(By.id("enable-ivan")).isEmpty() ? null : true);
            admin.screenshot("ivan-disabled");

            // his open terminal is closed by the server, not left to time out (the page itself may already have gone
            // to the sign-in page, its session being over)
            ivan.await(Duration.ofSeconds(10), d -> !"open".equals(terminalState(ivan)) ? true : null);
            ivan.screenshot("terminal-closed");
            // his next page is the sign-in page: the session he had is gone
            ivan.open("/environments");
            ivan.await(Duration.ofSeconds(15), d -> d.getCurrentUrl().contains("/login") ? true : null);
            // and he cannot sign in again: the login form says so and stays
            ivan.open("/login");
            ivan.awaitElement("#vaadinLoginUsername input").sendKeys("ivan");
            ivan.driver.findElement(By.cssSelector("#vaadinLoginPassword input")).sendKeys("ivan-pass-1",
                    org.openqa.selenium.Keys.ENTER);
            ivan.await(Duration.ofSeconds(15), d -> Boolean.TRUE.equals(ivan.js(
                    "return document.querySelector('vaadin-login-overlay, vaadin-login-form')?.error === true"))
                    || d.getCurrentUrl().contains("error") ? true : null);
            assertThat(ivan.driver.getCurrentUrl()).contains("/login");
            assertThat(ivan.driver.findElements(By.id("current-user"))).isEmpty();
            ivan.screenshot("sign-in-refused");

            assertThat(audit.recent("user disabled", 10)).anyMatch(a -> a.subject().equals("user ivan"));
            // his environment itself stays (an admin decides what happens to it)
            assertThat(environments.find(envId).orElseThrow().state().name()).isEqualTo("RUNNING");
            environments.destroy(envId, "admin");
        }
    }
}
