package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.TestPortal.tempHome;
import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A terminal-only environment end to end, nothing faked: headless Chromium asks for a Debian shell, launches the
 * real debian-shell container, types into xterm.js, reloads the page and finds the same shell (its screen and a
 * variable it set), is refused as another user on /terminal, and destroys it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TerminalIT {

    private static final Path HOME = tempHome("genos-e2e-");
    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @AfterAll
    static void removeLeftovers() {
        if (launched != null) {
            removeLabelled("io.genos.environment=" + launched);
        }
    }

    /** The text a vaadin-select shows for its value, once it shows one. */
    static String selected(Browser b, String id) {
        return b.await(Duration.ofSeconds(10), d -> {
            Object t = b.js("const s = document.getElementById(arguments[0]);"
                    + " const v = s && s.querySelector('vaadin-select-value-button');"
                    + " return v ? v.textContent.trim() : (s ? s.innerText.trim() : '');", id);
            String text = String.valueOf(t);
            return text.isBlank() ? null : text;
        });
    }

    /** The terminal's visible text (xterm.js's buffer), or "" before it exists. */
    static String screen(Browser b) {
        Object text = b.js("const t = document.getElementById('terminal'); return t && t.__genos ? t.__genos.text() : '';");
        return String.valueOf(text);
    }

    private static void awaitScreen(Browser b, String needle, Duration timeout) {
        b.await(timeout, d -> {
            Object error = b.js("return document.getElementById('terminal')?.getAttribute('data-error')");
            assertThat(error).as("terminal error").isNull();
            return screen(b).contains(needle) ? true : null;
        });
    }

    private static void type(Browser b, String keys) {
        WebElement terminal = b.driver.findElement(By.id("terminal"));
        new Actions(b.driver).moveToElement(terminal).click().perform();
        new Actions(b.driver).sendKeys(keys).perform();
    }

    @Test
    void aTerminalEnvironmentKeepsItsShellAcrossAReload() throws Exception {
        ensureUser(users, encoder, "carol", "carol-pass-1");
        ensureUser(users, encoder, "dave", "dave-pass-1");
        String base = "http://localhost:" + port;
        String envId;
        try (Browser carol = new Browser(base, "carol")) {
            carol.signIn("carol", "carol-pass-1");

            WebElement input = carol.awaitElement("#chat-input input");
            input.sendKeys("a debian shell, terminal only");
            carol.driver.findElement(By.id("chat-send")).click();
            carol.awaitElement("#spec-card");
            carol.screenshot("composed");
            String desktop = selected(carol, "spec-desktop");
            assertThat(desktop).as("the composer's desktop").isEqualTo("none");
            // The card leaves the image to the catalog ("closest match"); the launched container shows which it chose.
            assertThat(selected(carol, "spec-image")).contains("closest match");

            long t0 = System.nanoTime();
            carol.driver.findElement(By.id("launch")).click();
            carol.await(Duration.ofSeconds(20), d -> d.getCurrentUrl().contains("/session/") ? true : null);
            envId = carol.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
            launched = envId;
            String env = envId;
            carol.await(Duration.ofSeconds(30), d -> docker("ps", "-aq", "--filter", "label=io.genos.environment=" + env)
                    .isBlank() ? null : true);
            assertThat(docker("ps", "-a", "--filter", "label=io.genos.environment=" + envId, "--format",
                    "{{.Label \"io.genos.image\"}} {{.Image}}")).contains("debian-shell genos/debian-shell:latest");

            // The terminal, where the display would be: a prompt from the container's shell.
            carol.await(Duration.ofSeconds(90), d -> "open".equals(carol.js(
                    "return document.getElementById('terminal')?.getAttribute('data-state')")) ? true : null);
            awaitScreen(carol, "$ ", Duration.ofSeconds(30));
            long prompt = System.nanoTime() - t0;
            assertThat(carol.driver.findElements(By.cssSelector("#terminal .xterm-rows"))).isNotEmpty();
            assertThat(carol.driver.findElements(By.id("display"))).noneMatch(WebElement::isDisplayed);
            carol.screenshot("terminal");

            type(carol, "export GENOS_MARK=abc123; echo marker-$GENOS_MARK\n");
            awaitScreen(carol, "marker-abc123", Duration.ofSeconds(15));
            // The DOM renderer shows it as text in the page, not only in the buffer.
            assertThat(carol.driver.findElement(By.cssSelector("#terminal .xterm-rows")).getText()).contains("marker-abc123");
            carol.screenshot("typed");

            // Paste goes through xterm.js's paste handling (bracketed paste when the shell asks) into the same input path.
            carol.js("document.getElementById('terminal').__genos.term.paste('echo pasted-$GENOS_MARK')");
            type(carol, "\n");
            awaitScreen(carol, "pasted-abc123", Duration.ofSeconds(15));

            // Resizing the window resizes the terminal (fit addon) and the shell sees the new size.
            long cols = ((Number) carol.js("return document.getElementById('terminal').__genos.term.cols")).longValue();
            carol.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1000, 800));
            carol.await(Duration.ofSeconds(10), d -> ((Number) carol.js(
                    "return document.getElementById('terminal').__genos.term.cols")).longValue() != cols ? true : null);
            long newCols = ((Number) carol.js("return document.getElementById('terminal').__genos.term.cols")).longValue();
            type(carol, "echo cols=$(tput cols)\n");
            awaitScreen(carol, "cols=" + newCols, Duration.ofSeconds(15));

            // Reload: the same shell, with its screen and its variable.
            long t1 = System.nanoTime();
            carol.driver.navigate().refresh();
            awaitScreen(carol, "marker-abc123", Duration.ofSeconds(60));
            long reattached = System.nanoTime() - t1;
            type(carol, "echo same-$GENOS_MARK\n");
            awaitScreen(carol, "same-abc123", Duration.ofSeconds(15));
            carol.screenshot("reloaded");
            System.out.printf("terminal e2e: launch click to prompt %d ms, reload to old screen %d ms%n",
                    prompt / 1_000_000, reattached / 1_000_000);

            // Someone else is refused on /terminal, with a message and a close.
            try (Browser dave = new Browser(base, "dave")) {
                dave.signIn("dave", "dave-pass-1");
                Object reply = dave.driver.executeAsyncScript(TERMINAL_PROBE, envId);
                assertThat(String.valueOf(reply)).contains("cannot open this environment").contains("close:1008")
                        .doesNotContain("marker-abc123");
            }

            // Destroy it from "My environments".
            carol.open("/environments");
            carol.awaitElement("vaadin-grid#environments");
            WebElement destroy = carol.await(Duration.ofSeconds(20), d -> {
                List<WebElement> b = d.findElements(By.cssSelector("vaadin-button[id^='destroy-']"));
                return b.isEmpty() ? null : b.getFirst();
            });
            carol.js("arguments[0].click()", destroy);
            carol.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-confirm-dialog[opened]")).isEmpty() ? null : true);
            carol.js("document.querySelector('vaadin-confirm-dialog vaadin-button[slot=\"confirm-button\"]').click()");
            carol.await(Duration.ofSeconds(60), d -> docker("ps", "-aq", "--filter", "label=io.genos.environment=" + envId).isBlank() ? true : null);
        }
        assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + envId)).isBlank();
    }

    /** Opens /terminal for someone else's environment and returns what the server said before closing. */
    private static final String TERMINAL_PROBE = """
            const done = arguments[arguments.length - 1];
            const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
                + '/terminal?env=' + encodeURIComponent(arguments[0]) + '&cols=80&rows=24');
            ws.binaryType = 'arraybuffer';
            let got = '';
            ws.onmessage = (m) => { got += typeof m.data === 'string' ? m.data : new TextDecoder().decode(m.data); };
            ws.onclose = (e) => done(got + ' close:' + e.code);
            ws.onerror = () => {};
            setTimeout(() => done(got + ' timeout'), 10000);""";

}
