package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.portal.audit.AuditLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Password guessing is throttled and every sign-in is audited, in Chromium against the real sign-in form: three
 * wrong passwords lock the name (the test's setting; 5 by default), so the right password is refused too while it is
 * locked; another user signs in meanwhile (the lock is per name: the positive control); once the lock is over the
 * right password works. Another user changes his password (a wrong current one is refused and counted); the old one
 * no longer signs in, the new one does. The audit has each failure with where it came from, the lock, the refusal,
 * the sign-ins and the change.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignInIT {

    private static final Path HOME = tempHome("genos-signin-e2e-");
    /** Where the browser's requests come from: localhost is IPv4 or IPv6 loopback. */
    private static final String LOOPBACK = "(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
        registry.add("genos.portal.sign-in.max-failures", () -> "3");
        registry.add("genos.portal.sign-in.lock", () -> "PT8S");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    AuditLog audit;

    /** Types a name and password into the sign-in form; says whether it signed in. */
    private static boolean attempt(Browser b, String user, String password) {
        b.open("/login");
        b.awaitElement("#vaadinLoginUsername input").sendKeys(user);
        b.driver.findElement(By.cssSelector("#vaadinLoginPassword input")).sendKeys(password, Keys.ENTER);
        // (a wait takes neither null nor false for an answer: it says which page came)
        return "signed in".equals(b.await(Duration.ofSeconds(15), d -> {
            if (!d.findElements(By.id("current-user")).isEmpty()) {
                return "signed in";
            }
            return d.getCurrentUrl().contains("error") ? "refused" : null;
        }));
    }

    @Test
    void repeatedFailuresLockTheNameForAWhileAndEverySignInIsAudited() throws Exception {
        ensureUser(users, encoder, "lena", "lena-pass-1");
        ensureUser(users, encoder, "otto", "otto-pass-1");
        String base = "http://localhost:" + port;
        try (Browser lena = new Browser(base, "lena-guessed"); Browser otto = new Browser(base, "otto-meanwhile")) {
            for (int i = 1; i <= 3; i++) {
                assertThat(attempt(lena, "lena", "guess-" + i)).as("wrong password " + i).isFalse();
            }
            long lockedAt = System.nanoTime();
            assertThat(attempt(lena, "lena", "lena-pass-1")).as("the right password, while locked").isFalse();
            lena.screenshot("locked");
            assertThat(attempt(otto, "otto", "otto-pass-1")).as("another name is not locked").isTrue();

            // otto changes his password: a wrong current one is refused, then the change is made
            otto.driver.findElement(By.id("change-password")).click();
            otto.awaitElement("#current-password input").sendKeys("not-my-password");
            otto.driver.findElement(By.cssSelector("#new-password input")).sendKeys("otto-new-pass-2");
            otto.driver.findElement(By.cssSelector("#repeat-password input")).sendKeys("otto-new-pass-2");
            otto.driver.findElement(By.id("save-password")).click();
            otto.await(Duration.ofSeconds(10), d -> String.valueOf(otto.js(
                    "return document.getElementById('password-error')?.textContent")).contains("current password is wrong")
                    ? true : null);
            var current = otto.driver.findElement(By.cssSelector("#current-password input"));
            current.sendKeys(Keys.chord(Keys.CONTROL, "a"), "otto-pass-1");
            otto.driver.findElement(By.id("save-password")).click();
            otto.await(Duration.ofSeconds(10), d -> d.findElements(By.id("password-dialog")).isEmpty() ? true : null);
            otto.screenshot("password-changed");
            otto.driver.manage().deleteAllCookies();
            assertThat(attempt(otto, "otto", "otto-pass-1")).as("the old password").isFalse();
            assertThat(attempt(otto, "otto", "otto-new-pass-2")).as("the new password").isTrue();

            // once the lock is over, the right password works
            long waited = Duration.ofNanos(System.nanoTime() - lockedAt).toMillis();
            Thread.sleep(Math.max(0, 9_000 - waited));
            lena.driver.manage().deleteAllCookies();
            assertThat(attempt(lena, "lena", "lena-pass-1")).as("after the lock").isTrue();
            lena.screenshot("signed-in-after-the-lock");
        }
        var lenas = audit.recent("user lena", 50);
        assertThat(lenas).filteredOn(a -> a.action().equals("sign-in failed")).hasSize(3)
                .allSatisfy(a -> assertThat(a.detail()).matches("wrong user name or password, from " + LOOPBACK));
        assertThat(lenas).anyMatch(a -> a.action().equals("user locked"));
        assertThat(lenas).anyMatch(a -> a.action().equals("sign-in refused") && a.detail().startsWith("locked until"));
        assertThat(lenas).filteredOn(a -> a.action().equals("signed in")).singleElement()
                .satisfies(a -> assertThat(a.detail()).matches("from " + LOOPBACK));
        assertThat(audit.recent("user otto", 20)).anyMatch(a -> a.action().equals("signed in"))
                .anyMatch(a -> a.action().equals("password changed"))
                .anyMatch(a -> a.action().equals("sign-in failed") && a.detail().startsWith("the current password was "
                        + "wrong in the password change"));
    }
}
