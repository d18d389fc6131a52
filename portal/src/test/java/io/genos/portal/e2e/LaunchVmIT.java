package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.tempHome;
import static io.genos.portal.support.Virsh.virsh;
import static io.genos.portal.support.TestPortal.ensureUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.libvirt.LibvirtRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * A VM through the same path as a container, on the real libvirtd/QEMU: Chromium asks for "a tiny Debian VM",
 * watches its console arrive over the Guacamole tunnel, types a command on it that the VM's serial console then
 * shows, takes a snapshot from the session view, changes the VM, reverts to the snapshot (the change is gone), and
 * destroys it; afterwards libvirt has no domain or network of it and the disk has no file of it.
 * ({@code ./genos test} prepares libvirtd and the tiny image.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LaunchVmIT {

    private static final Path INSTANCES = tempHome("genos-vm-instances-");
    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", () -> tempHome("genos-vm-e2e-").toString());
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
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

    @AfterAll
    static void removeLeftovers() {
        if (launched != null) {
            String domain = LibvirtRuntime.domainName(launched);
            virsh("destroy", domain);
            virsh("undefine", "--snapshots-metadata", domain);
        }
    }

    @Test
    void launchesATinyVmTypesOnItsConsoleAndDestroysItLeavingNothing() throws Exception {
        ensureUser(users, encoder, "dora", "dora-pass-1");
        String marker = "GENOS-E2E-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        try (Browser dora = new Browser("http://localhost:" + port, "dora-vm")) {
            dora.signIn("dora", "dora-pass-1");
            dora.awaitElement("#chat-input input").sendKeys("a tiny Debian VM");
            dora.driver.findElement(By.id("chat-send")).click();
            dora.awaitElement("#spec-card");
            assertThat(dora.driver.findElement(By.id("spec-kind")).getText()).contains("vm");
            dora.screenshot("composed");
            dora.driver.findElement(By.id("launch")).click();
            dora.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().contains("/session/") ? true : null);
            String id = dora.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
            launched = id;
            Environment env = environments.find(id).orElseThrow();
            assertThat(env.kind()).hasToString("VM");

            // The boot, then the console's shell prompt, streamed from QEMU's VNC server through the bridge.
            dora.await(Duration.ofSeconds(120), d -> {
                Object error = dora.js("return document.getElementById('display')?.getAttribute('data-error')");
                assertThat(error).as("display error").isNull();
                return LaunchDesktopIT.colours(dora) >= 2 ? true : null;
            });
            RuntimeHandle handle = new RuntimeHandle(id, environments.find(id).orElseThrow().runtimeRef());
            dora.await(Duration.ofSeconds(120), d -> libvirt.logTail(handle, 200).contains("GENOS-TINY-READY") ? true : null);
            dora.screenshot("booted");
            String before = (String) dora.js(LaunchDesktopIT.CANVAS_HASH);

            // Typed on tty1 through the browser; the command writes the marker to the serial console.
            WebElement display = dora.driver.findElement(By.id("display"));
            new Actions(dora.driver).moveToElement(display).click().perform();
            new Actions(dora.driver).sendKeys("echo " + marker + " > /dev/ttyS0\n").perform();
            dora.await(Duration.ofSeconds(60), d -> libvirt.logTail(handle, 200).contains(marker) ? true : null);
            dora.await(Duration.ofSeconds(20), d -> before.equals(dora.js(LaunchDesktopIT.CANVAS_HASH)) ? null : true);
            dora.screenshot("typed");

            // A snapshot from the session view (the running VM, memory and disk), then a change on the console.
            dora.js("document.getElementById('env-snapshots').opened = true");
            dora.awaitElement("#snapshot-name input").sendKeys("booted");
            dora.driver.findElement(By.id("snapshot-take")).click();
            dora.await(Duration.ofSeconds(90), d -> d.findElements(By.id("snapshot-revert-booted")).isEmpty() ? null : true);
            assertThat(dora.driver.findElement(By.id("snapshot-status")).getText()).isEqualTo("Snapshot booted taken.");
            assertThat(environments.snapshots(id)).extracting(io.genos.orchestrator.Snapshot::name).containsExactly("booted");
            new Actions(dora.driver).moveToElement(display).click().perform();
            new Actions(dora.driver).sendKeys("touch /tmp/after-snapshot; echo AFTER-" + marker + " > /dev/ttyS0\n").perform();
            dora.await(Duration.ofSeconds(60), d -> libvirt.logTail(handle, 200).contains("AFTER-" + marker) ? true : null);

            // Revert (confirmed): the VM is back as it was at the snapshot, so the file made after it is gone; the
            // session view reconnects the display by itself.
            dora.driver.findElement(By.id("snapshot-revert-booted")).click();
            dora.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-confirm-dialog[opened]")).isEmpty() ? null : true);
            dora.js("document.querySelector('vaadin-confirm-dialog[opened] vaadin-button[slot=\"confirm-button\"]').click()");
            dora.await(Duration.ofSeconds(120), d -> "Reverted to booted.".equals(
                    d.findElement(By.id("snapshot-status")).getText()) ? true : null);
            dora.await(Duration.ofSeconds(60), d -> {
                Object error = dora.js("return document.getElementById('display')?.getAttribute('data-error')");
                assertThat(error).as("display error after the revert").isNull();
                return LaunchDesktopIT.colours(dora) >= 2 ? true : null;
            });
            dora.screenshot("reverted");
            WebElement reverted = dora.driver.findElement(By.id("display"));
            new Actions(dora.driver).moveToElement(reverted).click().perform();
            new Actions(dora.driver).sendKeys("if [ -e /tmp/after-snapshot ]; then echo KEPT-" + marker
                    + "; else echo GONE-" + marker + "; fi > /dev/ttyS0\n").perform();
            dora.await(Duration.ofSeconds(60), d -> libvirt.logTail(handle, 400).contains("GONE-" + marker) ? true : null);
            assertThat(libvirt.logTail(handle, 400)).doesNotContain("KEPT-" + marker);

            // The serial console beside the screen: the guest's shell on ttyS0, in xterm.js.
            dora.driver.findElement(By.id("view-console")).click();
            dora.await(Duration.ofSeconds(20), d -> d.findElement(By.id("terminal")).isDisplayed() ? true : null);
            new Actions(dora.driver).moveToElement(dora.driver.findElement(By.id("terminal"))).click().perform();
            // Sent again while nothing answers: the console may still be connecting when the first line goes out.
            for (int attempt = 1; !TerminalIT.screen(dora).contains("SERIAL-42"); attempt++) {
                new Actions(dora.driver).sendKeys("echo SERIAL-$((6*7))\n").perform();
                try {
                    dora.await(Duration.ofSeconds(10), d -> TerminalIT.screen(dora).contains("SERIAL-42") ? true : null);
                } catch (org.openqa.selenium.TimeoutException notYet) {
                    assertThat(attempt).as("attempts on the serial console; it shows: " + TerminalIT.screen(dora))
                            .isLessThan(6);
                }
            }
            dora.screenshot("serial-console");
            dora.driver.findElement(By.id("view-screen")).click();
            dora.await(Duration.ofSeconds(20), d -> d.findElement(By.id("display")).isDisplayed() ? true : null);

            // Reboot from the session view (confirmed): the guest boots again, the display comes back.
            WebElement reboot = dora.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector(
                    "vaadin-button[id^='reboot-']")).stream().findFirst().orElse(null));
            dora.js("arguments[0].click()", reboot);
            dora.await(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("vaadin-confirm-dialog[opened]")).isEmpty() ? null : true);
            dora.js("document.querySelector('vaadin-confirm-dialog[opened] vaadin-button[slot=\"confirm-button\"]').click()");
            dora.await(Duration.ofSeconds(120), d -> environments.history(id).getLast().reason().equals("rebooted by dora")
                    ? true : null);
            RuntimeHandle afterReboot = new RuntimeHandle(id, environments.find(id).orElseThrow().runtimeRef());
            // A fresh boot on the serial log: a second ready line, or (QEMU starts the log anew) one without what the
            // first boot printed.
            dora.await(Duration.ofSeconds(120), d -> {
                String log = libvirt.logTail(afterReboot, 2000);
                return log.split("GENOS-TINY-READY", -1).length > 2
                        || log.contains("GENOS-TINY-READY") && !log.contains("GONE-" + marker) ? true : null;
            });
            dora.await(Duration.ofSeconds(60), d -> {
                Object error = dora.js("return document.getElementById('display')?.getAttribute('data-error')");
                assertThat(error).as("display error after the reboot").isNull();
                return LaunchDesktopIT.colours(dora) >= 2 ? true : null;
            });
            dora.screenshot("rebooted");
            assertThat(environments.history(id)).extracting(io.genos.orchestrator.EnvironmentEvent::reason)
                    .contains("snapshot booted taken by dora", "reverted to snapshot booted by dora");

            environments.destroy(id, "dora");
            assertThat(virsh("net-list", "--all", "--name")).doesNotContain(id.substring(0, 8));
            assertThat(virsh("list", "--all", "--name")).doesNotContain(LibvirtRuntime.domainName(id));
            assertThat(libvirt.instanceDirectory(id)).doesNotExist();
            try (var files = Files.list(INSTANCES)) {
                assertThat(files.toList()).isEmpty();
            }
            dora.open("/session/" + id);
            dora.awaitElement("#env-state");
            dora.screenshot("destroyed");
        }
    }
}
