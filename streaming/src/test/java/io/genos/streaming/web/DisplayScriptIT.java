package io.genos.streaming.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import io.genos.streaming.SelectingDisplayGateway;
import io.genos.streaming.StreamingProperties;
import io.genos.streaming.TunnelRefusedException;
import io.genos.streaming.support.DesktopContainer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * display.js and the packaged guacamole-common-js in a real headless Chromium, through the tunnel handler in
 * embedded Tomcat, to a real Xvnc: the canvas shows the desktop, typing into it reaches the xterm, refusals reach
 * onerror.
 */
@Timeout(180)
class DisplayScriptIT {

    private static final String PASSWORD = "browser1";
    private static DesktopContainer desktop;
    private static TunnelTestServer server;
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        desktop = DesktopContainer.start(PASSWORD, "1024x768");
        Path docs = Files.createTempDirectory("display-docs");
        copy("META-INF/resources/guacamole/all.min.js", docs.resolve("guacamole/all.min.js"));
        copy("META-INF/resources/genos/display.js", docs.resolve("genos/display.js"));
        Files.writeString(docs.resolve("index.html"), """
                <!doctype html>
                <html><body style="margin:0">
                <div id="screen" style="width:800px;height:600px"></div>
                <script src="/guacamole/all.min.js"></script>
                <script src="/genos/display.js"></script>
                <script>
                  window.states = []; window.errors = [];
                  var env = new URLSearchParams(location.search).get('env');
                  if (env) {
                    window.display = GenosDisplay.attach(document.getElementById('screen'), env, {
                      tunnelUrl: '/tunnel',
                      onstate: function (s) { states.push(s); },
                      onerror: function (m) { errors.push(m); }
                    });
                  }
                </script>
                </body></html>
                """);
        GuacamoleTunnelHandler handler = new GuacamoleTunnelHandler((environmentId, user) -> {
            if (user == null || !user.getName().equals("alice")) {
                throw TunnelRefusedException.forbidden("Only the owner of " + environmentId + " may open its display");
            }
            return new DisplayEndpoint(Protocol.VNC, "127.0.0.1", desktop.port(), PASSWORD);
        }, SelectingDisplayGateway.forProperties(StreamingProperties.EMBEDDED));
        server = TunnelTestServer.start(handler, docs);
    }

    private static void copy(String resource, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        try (InputStream in = DisplayScriptIT.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " packaged in the jar's resources").isNotNull();
            Files.copy(in, target);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (desktop != null) {
            desktop.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,800");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build(), options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void openAs(String user, String environmentId) {
        browser.get("http://127.0.0.1:" + server.port() + "/index.html");
        browser.manage().addCookie(new Cookie("genos-test-user", user));
        browser.get("http://127.0.0.1:" + server.port() + "/index.html?env=" + environmentId);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** Share of sampled canvas pixels that are white (the xterm's background). */
    private static final String WHITE_SHARE = """
            var c = document.querySelector('canvas[data-genos-display]');
            if (!c || c.width < 1024) return 0;
            var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, white = 0, n = 0;
            for (var i = 0; i < d.length; i += 4 * 101) { n++; if (d[i] == 255 && d[i+1] == 255 && d[i+2] == 255) white++; }
            return white / n;
            """;

    @Test
    void theOwnerSeesTheDesktopScaledIntoTheElementAndTypesIntoIt() {
        openAs("alice", "env-1");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> ((Number) js(WHITE_SHARE)).doubleValue() > 0.3);

        assertThat(String.valueOf(js("return window.states.join(',')"))).contains("connected");
        assertThat(((Number) js("return display.client.getDisplay().getScale()")).doubleValue())
                .as("1024x768 fitted into 800x600").isCloseTo(800.0 / 1024, org.assertj.core.data.Offset.offset(0.01));

        String file = "/tmp/browser-" + System.nanoTime();
        browser.findElement(By.id("screen")).click();
        new Actions(browser).sendKeys("touch " + file + "\n").perform();
        long deadline = System.currentTimeMillis() + 15_000;
        while (!desktop.fileExists(file) && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(desktop.fileExists(file)).as("file created by keys typed in the browser").isTrue();
        assertThat((List<?>) js("return window.errors")).isEmpty();

        js("display.disconnect()");
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(b -> ((List<?>) js("return window.states")).contains("disconnected"));
    }

    @Test
    void someoneElseGetsTheRefusalThroughOnerror() {
        openAs("mallory", "env-1");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> !((List<?>) js("return window.errors")).isEmpty());
        assertThat((List<?>) js("return window.errors")).singleElement().asString().contains("Only the owner of env-1");
    }
}
