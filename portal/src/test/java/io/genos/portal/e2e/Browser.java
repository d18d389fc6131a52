package io.genos.portal.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver (no browser or driver is downloaded), with a fresh
 * profile; screenshots go to {@code target/e2e-screenshots}.
 */
final class Browser implements AutoCloseable {

    final ChromeDriver driver;
    private final String base;
    private final Path shots;
    private final Path profile;
    private int shot;

    Browser(String base, String name) throws IOException {
        this(base, name, new String[0]);
    }

    /** @param extraArguments more Chromium switches, e.g. {@code --ignore-certificate-errors} for a test certificate */
    Browser(String base, String name, String... extraArguments) throws IOException {
        this.base = base;
        this.shots = Path.of("target", "e2e-screenshots", name);
        Files.createDirectories(shots);
        this.profile = Files.createTempDirectory("genos-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1400,950", "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    void open(String path) {
        driver.get(base + path);
    }

    <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).until(condition);
    }

    WebElement awaitElement(String css) {
        return await(Duration.ofSeconds(30), d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
        });
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void signIn(String user, String password) {
        open("/login");
        WebElement name = awaitElement("#vaadinLoginUsername input");
        name.sendKeys(user);
        WebElement pass = driver.findElement(By.cssSelector("#vaadinLoginPassword input"));
        pass.sendKeys(password);
        screenshot("sign-in-" + user);
        pass.sendKeys(org.openqa.selenium.Keys.ENTER);
        await(Duration.ofSeconds(30), d -> d.getCurrentUrl().contains("/login") ? null : true);
        awaitElement("#current-user");
    }

    void screenshot(String step) {
        try {
            Path file = shots.resolve(String.format("%02d-%s.png", ++shot, step));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("screenshot " + step + " failed: " + e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}
