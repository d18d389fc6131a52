package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static io.genos.portal.support.Virsh.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.libvirt.LibvirtRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * "A Debian VM with htop" in headless Chromium on the real libvirtd/QEMU: the card says the package htop is part of
 * the composition, the VM boots from the derived disk image (debian-vm+&lt;hash&gt;, built offline by the runtime or
 * taken from the cache where LibvirtComposedIT left it), and on its serial console in the session view htop is there,
 * installed before the first boot (the guest has no network for first-boot installs).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ComposedVmIT {

    private static final Path INSTANCES = tempHome("genos-vm-htop-instances-");
    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", () -> tempHome("genos-vm-htop-e2e-").toString());
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
        registry.add("genos.orchestrator.libvirt.enabled", () -> "true");
        registry.add("genos.orchestrator.libvirt.instances-dir", INSTANCES::toString);
        // a Debian VM boots in about a minute under TCG; a derived image is built in about four when not cached
        registry.add("genos.orchestrator.display-timeout", () -> "240s");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    Environments environments;

    @AfterAll
    static void removeLeftovers() {
        if (launched != null) {
            String domain = LibvirtRuntime.domainName(launched);
            virsh("destroy", domain);
            virsh("undefine", domain);
        }
    }

    @Test
    void aDebianVmWithHtopBootsWithHtopInstalled() throws Exception {
        ensureUser(users, encoder, "vera", "vera-pass-1");
        try (Browser vera = new Browser("http://localhost:" + port, "vera-vm-htop")) {
            vera.signIn("vera", "vera-pass-1");
            vera.awaitElement("#chat-input input").sendKeys("a Debian VM with htop");
            vera.driver.findElement(By.id("chat-send")).click();
            vera.awaitElement("#spec-card");
            assertThat(vera.driver.findElement(By.id("spec-kind")).getText()).contains("vm");
            String composition = vera.await(Duration.ofSeconds(10), d -> {
                String t = String.valueOf(vera.js("return document.getElementById('composition')?.textContent || ''"));
                return t.contains("the package htop") ? t : null;
            });
            assertThat(composition).containsAnyOf("Ready: the package htop is in the image cache",
                    "To build before it starts: the package htop");
            vera.screenshot("card");
            vera.driver.findElement(By.id("launch")).click();
            vera.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().contains("/session/") ? true : null);
            String id = vera.driver.getCurrentUrl().replaceAll(".*/session/", "").replaceAll("[?#].*", "");
            launched = id;
            vera.await(Duration.ofMinutes(9), d -> {
                var state = environments.find(id).orElseThrow().state().name();
                return state.equals("RUNNING") || state.equals("FAILED") ? true : null;
            });
            Environment env = environments.find(id).orElseThrow();
            assertThat(env.state().name()).as(env.stateReason()).isEqualTo("RUNNING");
            assertThat(env.kind()).hasToString("VM");
            assertThat(virsh("dumpxml", LibvirtRuntime.domainName(id))).as("booted from the derived image")
                    .containsPattern("debian-vm\\+[0-9a-f]{16}/");

            // the serial console beside the screen: the guest's root shell on ttyS0, in xterm.js
            vera.awaitElement("#view-console").click();
            vera.await(Duration.ofSeconds(20), d -> d.findElement(By.id("terminal")).isDisplayed() ? true : null);
            new Actions(vera.driver).moveToElement(vera.driver.findElement(By.id("terminal"))).click().perform();
            // sent again while nothing answers: the guest may still be starting its console's shell
            for (int attempt = 1; !TerminalIT.screen(vera).contains("htop=/usr/bin/htop end"); attempt++) {
                new Actions(vera.driver).sendKeys("echo \"htop=$(command -v htop) end\"\n").perform();
                try {
                    vera.await(Duration.ofSeconds(15), d -> TerminalIT.screen(vera).contains("htop=/usr/bin/htop end")
                            ? true : null);
                } catch (org.openqa.selenium.TimeoutException notYet) {
                    assertThat(TerminalIT.screen(vera)).as("htop is missing").doesNotContain("htop= end");
                    assertThat(attempt).as("attempts on the serial console; it shows: " + TerminalIT.screen(vera))
                            .isLessThan(8);
                }
            }
            vera.screenshot("htop-on-the-serial-console");
            environments.destroy(id, "vera");
            assertThat(virsh("list", "--all", "--name")).doesNotContain(LibvirtRuntime.domainName(id));
        }
    }
}
