package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.docker;
import static io.genos.portal.support.Docker.dockerOk;
import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.EnvironmentProgress;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.portal.images.ImageForm;
import io.genos.portal.images.ImageRegistry;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Streaming.Protocol;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A container image from a registry, end to end against a real OCI registry (Debian's {@code docker-registry},
 * distribution 2.8, started here on a loopback port) and the real dockerd, in headless Chromium: an image built here
 * offline (the Debian base and a 64 MB layer of its own) is pushed to the registry and removed from the host; the
 * admin registers it by reference in the Images view; a user picks it for "a debian terminal with htop" and the card
 * says it is pulled first, then GenOS's session and htop are built on it; the launch pulls it with progress (MB and
 * percent), the terminal works in the browser (tmux, as the session layer's user) and htop is there. An image whose
 * package manager GenOS does not drive is refused packages, naming it, with nothing pulled or built.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegistryImageIT {

    private static final Path HOME = tempHome("genos-registry-e2e-");
    private static final Path REGISTRY = tempHome("genos-registry-");
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static final String TAG = "12-" + UUID.randomUUID().toString().substring(0, 8);
    private static Process registry;
    private static int registryPort;
    private static String reference;
    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("genos.home", HOME::toString);
        r.add("genos.portal.admin-password", () -> ADMIN_PASSWORD);
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
    ImageRegistry images;

    @Autowired
    ConfigurableApplicationContext context;

    /** Starts the registry on a free loopback port and pushes an image built here to it, then removes it here. */
    @BeforeAll
    static void registryWithAnImage() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            registryPort = s.getLocalPort();
        }
        Path config = REGISTRY.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(REGISTRY.resolve("data"), registryPort));
        registry = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(REGISTRY.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!answers("http://127.0.0.1:" + registryPort + "/v2/")) {
            assertThat(registry.isAlive()).as("docker-registry runs (see " + REGISTRY + "/registry.log)").isTrue();
            assertThat(System.nanoTime()).as("docker-registry answers within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        reference = "127.0.0.1:" + registryPort + "/team/debian:" + TAG;
        Path context = REGISTRY.resolve("build");
        Files.createDirectories(context);
        // the Debian base GenOS imports offline, plus a layer of its own that only the registry has once pushed
        Files.writeString(context.resolve("Dockerfile"), "FROM genos/debian-base:12\n"
                + "RUN head -c 64M /dev/urandom > /opt/registry-blob && echo " + TAG + " > /opt/registry-tag\n");
        run("docker", "build", "-q", "-t", reference, context.toString());
        run("docker", "push", reference);
        run("docker", "rmi", reference);
        assertThat(dockerOk("image", "inspect", reference)).as("the image is only in the registry now").isFalse();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (launched != null) {
            removeLabelled("io.genos.environment=" + launched);
        }
        if (reference != null && dockerOk("image", "inspect", reference)) {
            String pulled = docker("image", "inspect", "-f", "{{.Id}}", reference).strip();
            removeLayersOn(pulled);
            docker("rmi", reference);
        }
        if (registry != null) {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
        }
        for (Path dir : List.of(REGISTRY, HOME)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Removes the composed layers built on this test's image (each checked by its parent label; never forced). */
    private static void removeLayersOn(String parentId) {
        for (String tag : docker("images", "--format", "{{.Repository}}:{{.Tag}}").lines().toList()) {
            if (tag.startsWith("genos-composed:") && docker("image", "inspect", "-f",
                    "{{index .Config.Labels \"io.genos.layer.parent\"}}", tag).strip().equals(parentId)) {
                String id = docker("image", "inspect", "-f", "{{.Id}}", tag).strip();
                removeLayersOn(id);
                docker("rmi", tag);
            }
        }
    }

    @Test
    void anAdminRegistersARegistryImageAndAUserLaunchesItPulledWithProgress() throws Exception {
        List<String> progress = new CopyOnWriteArrayList<>();
        context.addApplicationListener(ApplicationListener.<EnvironmentProgress>forPayload(p -> progress.add(p.text())));
        String imageId = "team-debian-" + TAG.substring(3);
        String base = "http://localhost:" + port;

        try (Browser admin = new Browser(base, "admin-registry")) {
            admin.signIn("admin", ADMIN_PASSWORD);
            admin.driver.findElement(By.cssSelector("vaadin-side-nav-item[path='admin/images']")).click();
            admin.awaitElement("#image-id input");
            click(admin, admin.driver.findElements(By.cssSelector("#image-kind vaadin-radio-button")).stream()
                    .filter(r -> r.getText().strip().startsWith("container")).findFirst().orElseThrow());
            admin.await(Duration.ofSeconds(10), d -> "debian".equals(admin.js(
                    "return document.querySelector('#image-distro').value")) ? true : null);
            admin.driver.findElement(By.cssSelector("#image-id input")).sendKeys(imageId);
            admin.driver.findElement(By.cssSelector("#image-version input")).sendKeys("12");
            admin.driver.findElement(By.cssSelector("#image-path input")).sendKeys(reference);
            click(admin, admin.driver.findElement(By.id("register-image")));
            String row = admin.await(Duration.ofSeconds(15), d -> {
                String grid = String.valueOf(admin.js("return document.getElementById('images').textContent"));
                return grid.contains(imageId) ? grid : null;
            });
            assertThat(row).contains(reference).contains("missing on this host");
            admin.screenshot("registered");
        }
        ImageRegistry.Registered registered = images.find(imageId).orElseThrow();
        assertThat(registered.image().kind()).isEqualTo(Kind.CONTAINER);
        assertThat(registered.image().reference()).isEqualTo(reference);
        assertThat(registered.image().external()).isTrue();
        assertThat(images.audit().getFirst().detail()).contains(reference);

        ensureUser(users, encoder, "rita", "rita-pass-1");
        try (Browser rita = new Browser(base, "rita-registry")) {
            rita.signIn("rita", "rita-pass-1");
            rita.awaitElement("#chat-input input").sendKeys("a debian terminal with htop, no desktop");
            rita.driver.findElement(By.id("chat-send")).click();
            rita.awaitElement("#spec-card");
            rita.driver.findElement(By.id("spec-image")).click();
            WebElement item = rita.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-select-item"))
                    .stream().filter(i -> i.getText().strip().equals(imageId)).findFirst().orElse(null));
            item.click();
            String composition = rita.await(Duration.ofSeconds(10), d -> {
                String t = text(rita, "composition");
                return t.contains("To pull") ? t : null;
            });
            assertThat(composition).isEqualTo("To pull from its registry before it starts: " + reference
                    + ", then to build on it: GenOS's session (a user, tmux), then the package htop. Later launches "
                    + "reuse it.");
            rita.screenshot("card-pull-then-build");

            rita.driver.findElement(By.id("launch")).click();
            rita.await(Duration.ofSeconds(20), d -> d.getCurrentUrl().contains("/session/") ? true : null);
            String envId = rita.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
            launched = envId;
            rita.await(Duration.ofMinutes(4), d -> {
                var state = environments.find(envId).orElseThrow().state().name();
                return state.equals("RUNNING") || state.equals("FAILED") ? true : null;
            });
            var env = environments.find(envId).orElseThrow();
            assertThat(env.state().name()).as(env.stateReason()).isEqualTo("RUNNING");
            assertThat(env.imageId()).isEqualTo(imageId);

            // the pull was followed: dockerd's bytes, summed over the layers, as the session view was told
            assertThat(progress).anyMatch(t -> t.startsWith("pulling " + reference + " from its registry"));
            assertThat(progress).anyMatch(t -> t.matches("pulled \\Q" + reference
                    + "\\E from its registry, 6\\d of 6\\d MB, 100 %, \\d+ s"));
            assertThat(progress).anyMatch(t -> t.startsWith("building GenOS's session (a user, tmux) (layer 1 of 2)"));
            assertThat(dockerOk("image", "inspect", reference)).as("pulled onto the host").isTrue();

            // the terminal works in the browser: tmux, as the session layer's user, in the registry image
            rita.await(Duration.ofSeconds(60), d -> "open".equals(rita.js(
                    "return document.getElementById('terminal')?.getAttribute('data-state')")) ? true : null);
            WebElement terminal = rita.driver.findElement(By.id("terminal"));
            new Actions(rita.driver).moveToElement(terminal).click().perform();
            new Actions(rita.driver).sendKeys("echo \"$(id -un) on $(cat /opt/registry-tag) $((6*7))\"\n").perform();
            String screen = rita.await(Duration.ofSeconds(20), d -> {
                String s = String.valueOf(rita.js("const t = document.getElementById('terminal');"
                        + " return t && t.__genos ? t.__genos.text() : ''"));
                return s.contains("user on " + TAG + " 42") ? s : null;
            });
            assertThat(screen).contains("user on " + TAG + " 42");
            rita.screenshot("terminal-in-registry-image");
            String container = docker("ps", "-q", "--filter", "label=io.genos.environment=" + envId).strip();
            assertThat(dockerOk("exec", container, "sh", "-c", "command -v htop && command -v tmux && test -s "
                    + "/opt/registry-blob")).as("htop and tmux in the registry image").isTrue();
            assertThat(docker("exec", container, "sh", "-c", "ps -o args= -p 1; ps -eo args")).contains("sleep infinity");

            rita.js("document.getElementById('env-history').opened = true");
            String history = rita.await(Duration.ofSeconds(10), d -> {
                String t = text(rita, "env-history");
                return t.contains("pulled from its registry") ? t : null;
            });
            assertThat(history).contains("the image " + reference + ": pulled from its registry")
                    .contains("GenOS's session (a user, tmux): built").contains("the package htop: built");
            environments.destroy(envId, "rita");
        }

        // an image whose package manager GenOS does not drive: packages refused, naming it; nothing pulled or built
        String other = "127.0.0.1:" + registryPort + "/team/alpine:3.20";
        images.register(new ImageForm(Kind.CONTAINER, "team-alpine-" + TAG.substring(3), "linux", "alpine", "3.20",
                Desktop.NONE, Protocol.VNC, other, "", "", 1, 512, null, "Alpine (apk)"), "admin");
        var resolution = images.current().resolve(EnvironmentSpec.builder().name("x").image("team-alpine-"
                + TAG.substring(3)).os(Os.linux("alpine", "3.20")).packages(List.of("htop")).build());
        int before = docker("images", "-aq").lines().toList().size();
        assertThatThrownBy(() -> environments.preflight(resolution)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("team-alpine-" + TAG.substring(3) + " runs Alpine 3.20, whose package manager "
                        + "GenOS does not drive").hasMessageContaining("htop cannot be installed");
        assertThatThrownBy(() -> environments.launch(resolution, "rita")).isInstanceOf(InvalidRequestException.class);
        assertThat(docker("images", "-aq").lines().toList()).hasSize(before);
        assertThat(dockerOk("image", "inspect", other)).isFalse();
    }

    private static String text(Browser b, String id) {
        return String.valueOf(b.js("return document.getElementById(arguments[0])?.textContent || ''", id));
    }

    private static void click(Browser b, WebElement e) {
        b.js("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private static boolean answers(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
