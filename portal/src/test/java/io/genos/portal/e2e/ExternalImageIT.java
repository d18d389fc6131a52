package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static io.genos.portal.support.Virsh.virsh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.libvirt.LibvirtRuntime;
import io.genos.portal.images.ImageRegistry;
import io.genos.portal.images.InvalidImageException;
import io.genos.spec.Streaming.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An image GenOS cannot build, end to end on the real libvirtd/QEMU with no guacd configured: the admin registers a
 * qcow2 (made here with qemu-img) as a SPICE image in the Images view, after a file that is not a qcow2 was refused
 * with the reason and nothing stored; a user picks that image on the spec card in the chat and launches it; the VM
 * boots with a SPICE display and the session view says plainly that SPICE needs an external guacd instead of showing
 * a blank canvas. Removing the image is refused while the environment exists; after destroy libvirt has no domain,
 * the disk no file of it, and the image can be removed (audited).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExternalImageIT {

    private static final Path INSTANCES = tempHome("genos-ext-instances-");
    private static final Path FILES = tempHome("genos-ext-images-");
    private static final Path HOME = tempHome("genos-ext-e2e-");
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> ADMIN_PASSWORD);
        registry.add("genos.orchestrator.libvirt.enabled", () -> "true");
        registry.add("genos.orchestrator.libvirt.instances-dir", INSTANCES::toString);
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
    LibvirtRuntime libvirt;

    @Autowired
    ImageRegistry images;

    @AfterAll
    static void removeLeftovers() throws IOException {
        if (launched != null) {
            String domain = LibvirtRuntime.domainName(launched);
            virsh("destroy", domain);
            virsh("undefine", domain);
        }
        for (Path dir : List.of(FILES, INSTANCES, HOME)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anAdminRegistersASpiceQcow2AUserLaunchesItAndIsToldPlainlyThatNoGuacdShowsIt() throws Exception {
        Files.setPosixFilePermissions(FILES, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path qcow2 = FILES.resolve("external.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", qcow2.toString(), "1G")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        Files.setPosixFilePermissions(qcow2, PosixFilePermissions.fromString("rw-r--r--"));
        Path notQcow2 = FILES.resolve("external.iso");
        Files.writeString(notQcow2, "not a disk image\n");
        Files.setPosixFilePermissions(notQcow2, PosixFilePermissions.fromString("rw-r--r--"));
        String imageId = "ext-spice-" + UUID.randomUUID().toString().substring(0, 6);
        String base = "http://localhost:" + port;

        try (Browser admin = new Browser(base, "admin-images")) {
            admin.signIn("admin", ADMIN_PASSWORD);
            admin.driver.findElement(By.cssSelector("vaadin-side-nav-item[path='admin/images']")).click();
            admin.awaitElement("#image-id input").sendKeys(imageId);
            WebElement spice = admin.driver.findElements(By.cssSelector("#image-protocol vaadin-radio-button")).stream()
                    .filter(r -> r.getText().strip().equals("spice")).findFirst().orElseThrow();
            click(admin, spice);
            admin.driver.findElement(By.cssSelector("#image-path input")).sendKeys(notQcow2.toString());
            click(admin, admin.driver.findElement(By.id("register-image")));
            String refusal = admin.await(Duration.ofSeconds(15), d -> {
                String text = String.valueOf(admin.js("return [...document.querySelectorAll('vaadin-notification-card')]"
                        + ".map(c => c.textContent).join(' ')"));
                return text.contains("is not a qcow2 disk image") ? text : null;
            });
            assertThat(refusal).contains(notQcow2.toString());
            admin.screenshot("not-a-qcow2-refused");
            assertThat(images.registered()).as("nothing stored").isEmpty();
            assertThat(images.audit()).as("nothing audited").isEmpty();
            assertThat(images.current().find(imageId)).isEmpty();

            WebElement path = admin.driver.findElement(By.cssSelector("#image-path input"));
            path.sendKeys(Keys.chord(Keys.CONTROL, "a"), qcow2.toString());
            click(admin, admin.driver.findElement(By.id("register-image")));
            admin.await(Duration.ofSeconds(15), d -> String.valueOf(admin.js(
                    "return document.getElementById('images').textContent")).contains(imageId) ? true : null);
            admin.screenshot("registered");
        }
        ImageRegistry.Registered registered = images.find(imageId).orElseThrow();
        assertThat(registered.image().reference()).isEqualTo(qcow2.toString());
        assertThat(registered.image().protocols()).containsExactly(Protocol.SPICE);
        assertThat(registered.registeredBy()).isEqualTo("admin");
        assertThat(images.audit()).singleElement().satisfies(a -> {
            assertThat(a.actor()).isEqualTo("admin");
            assertThat(a.action()).isEqualTo("registered");
            assertThat(a.imageId()).isEqualTo(imageId);
        });

        ensureUser(users, encoder, "erin", "erin-pass-1");
        try (Browser erin = new Browser(base, "erin-external")) {
            erin.signIn("erin", "erin-pass-1");
            erin.awaitElement("#chat-input input").sendKeys("a tiny Debian VM");
            erin.driver.findElement(By.id("chat-send")).click();
            erin.awaitElement("#spec-card");
            erin.driver.findElement(By.id("spec-image")).click();
            WebElement item = erin.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-select-item"))
                    .stream().filter(i -> i.getText().strip().equals(imageId)).findFirst().orElse(null));
            item.click();
            erin.await(Duration.ofSeconds(10), d -> erin.driver.findElement(By.id("spec-image")).getText()
                    .contains(imageId) ? true : null);
            erin.screenshot("picked");
            erin.driver.findElement(By.id("launch")).click();
            erin.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().contains("/session/") ? true : null);
            String id = erin.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
            launched = id;

            String notice = erin.await(Duration.ofSeconds(120), d -> {
                var found = d.findElements(By.id("display-notice"));
                return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst().getText();
            });
            erin.screenshot("spice-without-guacd");
            assertThat(notice).startsWith("This environment's display speaks SPICE.")
                    .contains("external guacd").contains("genos.streaming.guacd-host");
            assertThat(erin.js("return document.querySelectorAll('#display canvas').length")).as("no canvas")
                    .hasToString("0");
            assertThat(erin.js("return document.getElementById('display').getAttribute('data-error')")).isNull();

            Environment env = environments.find(id).orElseThrow();
            assertThat(env.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(env.imageId()).isEqualTo(imageId);
            assertThat(env.displayProtocol()).isEqualTo(Protocol.SPICE);
            assertThat(env.display().orElseThrow().host()).isEqualTo("127.0.0.1");
            String xml = virsh("dumpxml", LibvirtRuntime.domainName(id));
            assertThat(xml).contains("<graphics type='spice'").contains("<boot dev='hd'/>")
                    .contains("<source file='" + qcow2 + "'");

            assertThatThrownBy(() -> images.remove(imageId, "admin")).isInstanceOf(InvalidImageException.class)
                    .hasMessageContaining("is used by 1 environment").hasMessageContaining("erin/");

            environments.destroy(id, "erin");
            assertThat(virsh("list", "--all", "--name")).doesNotContain(LibvirtRuntime.domainName(id));
            assertThat(libvirt.instanceDirectory(id)).doesNotExist();
            try (var files = Files.list(INSTANCES)) {
                assertThat(files.toList()).isEmpty();
            }
            erin.open("/session/" + id);
            erin.awaitElement("#env-state");
            erin.screenshot("destroyed");
        }
        images.remove(imageId, "admin");
        assertThat(images.current().find(imageId)).isEmpty();
        assertThat(images.audit()).extracting(ImageRegistry.AuditEntry::action).containsExactly("removed", "registered");
        assertThat(qcow2).as("the registered file itself is left alone").exists();
    }

    /** Clicks an element after scrolling it to the middle of the window (the form is below the catalog's grid). */
    private static void click(Browser b, WebElement e) {
        b.js("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }
}
