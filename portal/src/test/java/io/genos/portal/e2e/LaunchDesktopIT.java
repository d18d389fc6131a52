package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.TestPortal.tempHome;
import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.Docker.docker;
import static io.genos.portal.support.Docker.dockerOk;
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
 * The spine, end to end, with nothing faked: headless Chromium signs in, types a request, launches, watches the
 * real container's desktop arrive over the Guacamole tunnel, types into its xterm, and destroys it; the file the
 * typed command made and the container's removal are checked through dockerd.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LaunchDesktopIT {

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
    static void removeLeftovers() throws Exception {
        // Whatever this test created and did not destroy (a failure half-way) goes; the assertions already failed.
        if (launched != null) {
            removeLabelled("io.genos.environment=" + launched);
        }
    }

    @Test
    void launchesADesktopStreamsItTypesIntoItAndDestroysIt() throws Exception {
        ensureUser(users, encoder, "alice", "alice-pass-1");
        ensureUser(users, encoder, "bob", "bob-pass-1");
        String base = "http://localhost:" + port;
        String envId;
        String fileName = "genos-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        try (Browser alice = new Browser(base, "alice")) {
            alice.signIn("alice", "alice-pass-1");

            WebElement input = alice.awaitElement("#chat-input input");
            input.sendKeys("a Debian desktop with 2 CPUs and 2 GB");
            alice.driver.findElement(By.id("chat-send")).click();
            alice.awaitElement("#spec-card");
            assertThat(alice.js("return document.querySelector('#spec-cpus').value")).hasToString("2");
            assertThat(alice.js("return document.querySelector('#spec-memory').value")).hasToString("2048");
            // The small desktop the tests build; a user would pick it the same way on the card.
            alice.driver.findElement(By.id("spec-image")).click();
            WebElement item = alice.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-select-item"))
                    .stream().filter(i -> i.getText().strip().equals("debian-openbox")).findFirst().orElse(null));
            item.click();
            alice.await(Duration.ofSeconds(10), d -> alice.driver.findElement(By.id("spec-image")).getText()
                    .contains("debian-openbox") ? true : null);
            // The name the composer made up follows the picked image.
            assertThat(alice.js("return document.querySelector('#spec-name').value")).hasToString("debian-openbox");
            alice.screenshot("composed");

            alice.driver.findElement(By.id("launch")).click();
            alice.await(Duration.ofSeconds(20), d -> d.getCurrentUrl().contains("/session/") ? true : null);
            envId = alice.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
            launched = envId;
            alice.screenshot("provisioning");

            // The desktop: a canvas that shows the environment's pixels, not a blank rectangle.
            alice.await(Duration.ofSeconds(90), d -> {
                Object error = alice.js("return document.getElementById('display')?.getAttribute('data-error')");
                assertThat(error).as("display error").isNull();
                return colours(alice) > 3 ? true : null;
            });
            alice.screenshot("desktop");
            // Its history, as the session view shows it: who moved it through which states, and why.
            alice.js("document.getElementById('env-history').opened = true");
            assertThat(String.valueOf(alice.js("return document.getElementById('env-history').textContent")))
                    .contains("requested", "provisioning → running");
            String before = (String) alice.js(CANVAS_HASH);

            // Type into the xterm through the browser: a command that creates a file in the container.
            WebElement display = alice.driver.findElement(By.id("display"));
            new Actions(alice.driver).moveToElement(display).click().perform();
            new Actions(alice.driver).sendKeys("touch /tmp/" + fileName + "\n").perform();
            String container = containerOf(envId);
            alice.await(Duration.ofSeconds(20), d -> dockerOk("exec", container, "test", "-f", "/tmp/" + fileName) ? true : null);
            alice.await(Duration.ofSeconds(10), d -> before.equals(alice.js(CANVAS_HASH)) ? null : true);
            alice.screenshot("typed");
            // what the tunnel carried is in the metrics: frames and bytes to the browser, the keys from it
            String metrics = new String(java.net.URI.create(base + "/actuator/prometheus").toURL().openStream()
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(metric(metrics, "genos_stream_frames_total")).isGreaterThan(0);
            assertThat(metric(metrics, "genos_stream_bytes_total{direction=\"to_browser\"")).isGreaterThan(10_000);
            assertThat(metric(metrics, "genos_stream_bytes_total{direction=\"from_browser\"")).isGreaterThan(0);

            // Someone else: refused on the session view and on the tunnel.
            try (Browser bob = new Browser(base, "bob")) {
                bob.signIn("bob", "bob-pass-1");
                bob.open("/session/" + envId);
                assertThat(bob.awaitElement("#refusal").getText()).contains("cannot open this environment");
                bob.screenshot("refused");
                Object reply = bob.driver.executeAsyncScript(TUNNEL_PROBE, envId);
                // refused as forbidden (Guacamole status 0x0303 = 771), and never a frame of the desktop
                assertThat(String.valueOf(reply)).contains("5.error", "belongs to another user", "3.771")
                        .doesNotContain("4.size");
            }

            // Destroy it from "My environments".
            alice.open("/environments");
            alice.awaitElement("vaadin-grid#environments");
            WebElement destroy = alice.await(Duration.ofSeconds(20), d -> {
                List<WebElement> b = d.findElements(By.cssSelector("vaadin-button[id^='destroy-']"));
                return b.isEmpty() ? null : b.getFirst();
            });
            alice.js("arguments[0].click()", destroy);
            alice.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-confirm-dialog[opened]")).isEmpty() ? null : true);
            alice.js("document.querySelector('vaadin-confirm-dialog vaadin-button[slot=\"confirm-button\"]').click()");
            alice.await(Duration.ofSeconds(60), d -> docker("ps", "-aq", "--filter", "label=io.genos.environment=" + envId).isBlank() ? true : null);
            alice.screenshot("destroyed");
        }
        assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + envId)).isBlank();
    }

    /** The value of the first sample whose line starts with {@code name} in a Prometheus text exposition. */
    static double metric(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError(name + " is not in /actuator/prometheus"));
    }

    /** Distinct colours on a grid of samples over the desktop's largest canvas (0 when there is none yet). */
    static long colours(Browser b) {
        Object n = b.js("""
                const cs = [...document.querySelectorAll('#display canvas')];
                if (!cs.length) return 0;
                const c = cs.reduce((a, x) => x.width * x.height > a.width * a.height ? x : a);
                if (c.width < 100) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const seen = new Set();
                for (let y = 0; y < c.height; y += 7) for (let x = 0; x < c.width; x += 7) {
                  const i = (y * c.width + x) * 4; seen.add(d[i] << 16 | d[i + 1] << 8 | d[i + 2]);
                }
                return seen.size;""");
        return ((Number) n).longValue();
    }

    static final String CANVAS_HASH = """
            const cs = [...document.querySelectorAll('#display canvas')];
            const c = cs.reduce((a, x) => x.width * x.height > a.width * a.height ? x : a);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let h = 0; for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) | 0;
            return String(h);""";

    /** Opens the tunnel for someone else's environment and returns what the server answered before closing. */
    private static final String TUNNEL_PROBE = """
            const done = arguments[arguments.length - 1];
            const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
                + '/tunnel?id=' + encodeURIComponent(arguments[0]) + '&width=800&height=600', 'guacamole');
            let got = '';
            ws.onmessage = (m) => { got += m.data; };
            ws.onclose = (e) => done(got + ' close:' + e.code);
            ws.onerror = () => {};
            setTimeout(() => done(got + ' timeout'), 10000);""";

    private static String containerOf(String envId) {
        String id = docker("ps", "-q", "--filter", "label=io.genos.environment=" + envId).strip();
        assertThat(id).as("the environment's running container").isNotEmpty();
        return id.lines().findFirst().orElseThrow();
    }

}
