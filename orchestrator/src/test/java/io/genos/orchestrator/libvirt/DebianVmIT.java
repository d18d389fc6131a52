package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.Terminal;
import io.genos.spec.Network;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real Debian 12 VM image (debian-vm, built by vm-images/vm/build-debian) through the orchestrator's service
 * against the real libvirtd and QEMU: it boots systemd to the automatic login on the serial console, a command typed
 * there through {@link Environments#attachTerminal} shows systemd as PID 1 and the root file system grown to the
 * requested 4 GiB disk, and destroy leaves no domain and no file. Its domain carries owner {@code it-<uuid>} and is
 * removed after the test, passed or not.
 */
class DebianVmIT {
    /** The serial console's prompt after the automatic login of the user genos on host genos-vm. */
    static final String PROMPT = "genos@genos-vm:~$";
    private final String owner = "it-" + UUID.randomUUID();

    @TempDir
    Path home;

    @BeforeAll
    static void prepare() throws Exception {
        TinyVm.ensureBuilt(); // libvirtd up (and the probe image)
        Process p = new ProcessBuilder(TinyVm.repositoryRoot().resolve("vm-images/vm/build-debian").toString(),
                TinyVm.IMAGES.toString()).inheritIO().start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("vm-images/vm/build-debian failed");
        }
    }

    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        io.genos.orchestrator.Leftovers.removeDomains(owner);
    }

    /** debian-vm as the built-in catalog (vm-images/catalog.json) describes it. */
    static CatalogImage image() {
        return Catalog.builtIn().find("debian-vm").orElseThrow();
    }

    @Test
    void bootsSystemdToTheSerialLoginRunsACommandThereWithTheGrownDiskAndDestroysEverything() throws Exception {
        Path instances = home.resolve("vms");
        Files.createDirectories(instances);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(
                Class.forName("io.genos.orchestrator.OrchestratorTestApplication"))
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off",
                        "genos.orchestrator.display-timeout=60s",
                        "genos.orchestrator.libvirt.enabled=true",
                        "genos.orchestrator.libvirt.images-dir=" + TinyVm.IMAGES,
                        "genos.orchestrator.libvirt.instances-dir=" + instances)
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            LibvirtRuntime runtime = ctx.getBean(LibvirtRuntime.class);

            long t0 = System.nanoTime();
            Environment launched = environments.launch(
                    TinyVm.resolution("debian", new Resources(1, 1024, 4, null), image(), Network.Egress.NONE), owner);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> environments.find(launched.id()).orElseThrow().state(),
                            s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            Environment running = environments.find(launched.id()).orElseThrow();
            assertThat(running.state()).as("state, reason: " + running.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            long runningMillis = (System.nanoTime() - t0) / 1_000_000;
            RuntimeHandle handle = new RuntimeHandle(launched.id(), running.runtimeRef());

            Duration login = TinyVm.awaitSerial(runtime, handle, PROMPT, Duration.ofSeconds(180));
            long loginMillis = (System.nanoTime() - t0) / 1_000_000;

            VmTerminalIT.Screen screen = new VmTerminalIT.Screen();
            Terminal terminal = environments.attachTerminal(launched.id(), 80, 24, screen);
            terminal.write(("systemd-analyze | head -1; echo \"pid1=$(cat /proc/1/comm) root=$(df -B1M --output=size / | tail -1 | tr -d ' ')M"
                    + " sudo=$(sudo -n id -u) user=$(id -un) end\"\r").getBytes(StandardCharsets.US_ASCII));
            // the echoed command line holds "$(...)", only the shell's output holds the values
            Pattern output = Pattern.compile("pid1=(\\w+) root=(\\d+)M sudo=(\\w+) user=(\\w+) end");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Matcher m = output.matcher(screen.text());
            while (!m.find() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                m = output.matcher(screen.text());
            }
            System.out.printf("debian-vm (%s): RUNNING (VNC answers) after %d ms, login prompt on the serial console "
                    + "after %d ms (%d ms after RUNNING)%n", runtime.acceleration(), runningMillis, loginMillis,
                    login.toMillis());
            assertThat(m.find(0)).as("the command's output in:\n" + screen.text()).isTrue();
            assertThat(m.group(1)).as("PID 1").isEqualTo("systemd");
            assertThat(Long.parseLong(m.group(2))).as("root file system MiB for a 4 GiB disk (the image's is 2 GiB)")
                    .isGreaterThan(3 * 1024);
            assertThat(m.group(3)).as("sudo without a password").isEqualTo("0");
            assertThat(m.group(4)).isEqualTo("genos");
            terminal.close();

            environments.destroy(launched.id(), owner);
            assertThat(environments.find(launched.id()).orElseThrow().state()).isEqualTo(EnvironmentState.DESTROYED);
            assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, launched.id()))).isEmpty();
            assertThat(instances.resolve(launched.id())).doesNotExist();
            Matcher analyze = Pattern.compile("Startup finished in [^\r\n]*").matcher(screen.text());
            System.out.printf("debian-vm: root file system %s MiB for a 4 GiB disk; systemd-analyze: %s%n", m.group(2),
                    analyze.find() ? analyze.group() : "(none)");
        }
    }
}
