package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.Terminal;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.Resolution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * VMs composed like containers, against the real libvirtd and QEMU: "a Debian VM with htop" makes the runtime build
 * debian-vm+&lt;hash&gt; with htop installed (vm-images/vm/build-debian --package htop), once for two launches at
 * once; the VM boots with htop there (typed on the serial console); a later launch takes the image from the cache;
 * unknown package names and images that cannot take packages are refused before anything is built. The derived image
 * is removed at the start, so the test always sees it built from nothing; domains and instance files go afterwards.
 */
class LibvirtComposedIT {
    private static final Catalog CATALOG = Catalog.builtIn();
    private final String owner = "it-" + UUID.randomUUID();

    @TempDir
    Path home;

    @BeforeAll
    static void prepare() throws Exception {
        TinyVm.ensureBuilt();
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

    /** "a Debian VM with …": what the composer makes of it. */
    static Resolution debianVmWith(String name, List<String> packages) {
        return CATALOG.resolve(EnvironmentSpec.builder().name(name).kind(Kind.VM).os(Os.linux("debian", "12"))
                .desktop(Desktop.NONE).resources(new Resources(1, 768, null, null))
                .network(new Network(Network.Egress.NONE, null, null)).packages(packages).build());
    }

    private ConfigurableApplicationContext context(Path instances) throws Exception {
        return new SpringApplicationBuilder(Class.forName("io.genos.orchestrator.OrchestratorTestApplication"))
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off",
                        "genos.orchestrator.display-timeout=60s",
                        "genos.orchestrator.libvirt.enabled=true",
                        "genos.orchestrator.libvirt.images-dir=" + TinyVm.IMAGES,
                        "genos.orchestrator.libvirt.instances-dir=" + instances,
                        "genos.orchestrator.libvirt.build-script="
                                + TinyVm.repositoryRoot().resolve(VmImageComposer.SCRIPT))
                .run();
    }

    private static List<String> derivedImages() throws IOException {
        try (Stream<Path> dirs = Files.list(TinyVm.IMAGES)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.contains("+")).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static Environment awaitSettled(Environments environments, String id, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(
                () -> environments.find(id).orElseThrow().state(),
                s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
        return environments.find(id).orElseThrow();
    }

    /** Types {@code command -v htop} on the serial console and returns what the shell printed. */
    private static String htopPath(Environments environments, LibvirtRuntime runtime, Environment e)
            throws Exception {
        return ask(environments, runtime, e, "command -v htop");
    }

    /** Runs a command on the serial console and returns the first word it printed (empty for none). */
    private static String ask(Environments environments, LibvirtRuntime runtime, Environment e, String command)
            throws Exception {
        TinyVm.awaitSerial(runtime, new RuntimeHandle(e.id(), e.runtimeRef()), DebianVmIT.PROMPT,
                Duration.ofSeconds(240));
        VmTerminalIT.Screen screen = new VmTerminalIT.Screen();
        Terminal terminal = environments.attachTerminal(e.id(), 80, 24, screen);
        try {
            // the echoed command line holds "$(...)", only the shell's output holds the answer
            terminal.write(("echo \"answer=$(" + command + ") end\"\r").getBytes(StandardCharsets.US_ASCII));
            java.util.regex.Pattern out = java.util.regex.Pattern.compile("answer=(\\S*) end");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                java.util.regex.Matcher m = out.matcher(screen.text());
                if (m.find()) {
                    return m.group(1);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no answer on the serial console:\n" + screen.text());
        } finally {
            terminal.close();
        }
    }

    @Test
    void aDebianVmWithHtopIsBuiltOnceForTwoLaunchesBootsWithHtopAndLaterLaunchesReuseIt() throws Exception {
        Resolution resolution = debianVmWith("htop-vm", List.of("htop"));
        assertThat(resolution.image().kind()).isEqualTo(Kind.VM);
        assertThat(resolution.composition()).as("a composition for htop").isNotNull();
        assertThat(resolution.composition().start().id()).isEqualTo("debian-vm");
        assertThat(resolution.composition().packages()).containsExactly("htop");
        VmImageComposer composer = new VmImageComposer(TinyVm.IMAGES, "", Duration.ofMinutes(1));
        String reference = composer.reference(resolution.composition());
        assertThat(reference).startsWith("debian-vm+");
        deleteTree(TinyVm.IMAGES.resolve(reference)); // built from nothing, whatever an earlier run left

        Path instances = home.resolve("vms");
        Files.createDirectories(instances);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ConfigurableApplicationContext ctx = context(instances)) {
            Environments environments = ctx.getBean(Environments.class);
            LibvirtRuntime runtime = ctx.getBean(LibvirtRuntime.class);
            Environments.Preflight before = environments.preflight(resolution);
            assertThat(before.toBuild()).containsExactly("the package htop");
            assertThat(before.warnings()).noneMatch(w -> w.contains("not installed"));

            long t0 = System.nanoTime();
            Environment a = environments.launch(resolution, owner);
            Environment b = environments.launch(debianVmWith("htop-vm-2", List.of("htop")), owner);
            List<String> progressSeen = Collections.synchronizedList(new ArrayList<>());
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                environments.find(a.id()).map(Environment::progressText).ifPresent(progressSeen::add);
                environments.find(b.id()).map(Environment::progressText).ifPresent(progressSeen::add);
                EnvironmentState s = environments.find(a.id()).orElseThrow().state();
                return s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED;
            });
            long builtMillis = (System.nanoTime() - t0) / 1_000_000;
            Environment ra = awaitSettled(environments, a.id(), Duration.ofMinutes(3));
            assertThat(ra.state()).as(ra.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            Environment rb = awaitSettled(environments, b.id(), Duration.ofMinutes(3));
            assertThat(rb.state()).as(rb.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            System.out.println("progress seen: " + progressSeen.stream().distinct().toList());
            assertThat(progressSeen).anyMatch(t -> t.startsWith("building the package htop"));
            assertThat(progressSeen).as("the second launch waited on the first one's build")
                    .anyMatch(t -> t.contains("being built by another launch"));
            assertThat(derivedImages()).contains(reference);
            for (Environment e : List.of(ra, rb)) {
                assertThat(environments.history(e.id())).anyMatch(ev -> ev.reason() != null
                        && ev.reason().startsWith("the package htop: built (" + reference + ")"));
                assertThat(environments.logs(e.id())).anyMatch(l -> l.title().equals("build log of the package htop")
                        && l.body().contains("Setting up htop"));
            }
            environments.destroy(rb.id(), owner); // one VM at a time under TCG boots faster

            long login0 = System.nanoTime();
            assertThat(htopPath(environments, runtime, ra)).isEqualTo("/usr/bin/htop");
            long loginMillis = (System.nanoTime() - login0) / 1_000_000;
            environments.destroy(ra.id(), owner);
            assertThat(environments.preflight(resolution).toBuild()).as("cached now").isEmpty();

            long c0 = System.nanoTime();
            Environment c = environments.launch(debianVmWith("htop-vm-3", List.of("htop")), owner);
            Environment rc = awaitSettled(environments, c.id(), Duration.ofMinutes(3));
            assertThat(rc.state()).as(rc.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            long cachedMillis = (System.nanoTime() - c0) / 1_000_000;
            assertThat(environments.history(c.id())).anyMatch(ev -> ev.reason() != null
                    && ev.reason().startsWith("the package htop: taken from the image cache (" + reference + ")"));
            assertThat(htopPath(environments, runtime, rc)).isEqualTo("/usr/bin/htop");
            environments.destroy(rc.id(), owner);
            System.out.printf("debian-vm with htop (%s): built and RUNNING after %d ms; htop answered on the serial "
                    + "console %d ms after RUNNING; from the cache RUNNING after %d ms%n", runtime.acceleration(),
                    builtMillis, loginMillis, cachedMillis);
            for (Environment e : List.of(ra, rb, rc)) {
                assertThat(instances.resolve(e.id())).doesNotExist();
            }
        }
        assertThat(TinyVm.IMAGES.resolve(reference + ".tmp")).doesNotExist();
    }

    /**
     * "A Debian VM with openbox": a desktop VM derived from debian-vm (X, lightdm, the generic kernel and openbox's
     * packages, built offline; kept in the cache between runs, its name being its recipe's hash), booted into the
     * openbox session as the VM's user. The smallest desktop, so that the suite builds it in minutes.
     */
    @Test
    void aDebianVmWithOpenboxBootsIntoItsDesktopLoggedIn() throws Exception {
        Resolution resolution = CATALOG.resolve(EnvironmentSpec.builder().name("openbox-vm").kind(Kind.VM)
                .os(Os.linux("debian", "12")).desktop(Desktop.OPENBOX).resources(new Resources(2, 1536, null, null))
                .network(new Network(Network.Egress.NONE, null, null)).build());
        assertThat(resolution.warnings()).isEmpty();
        assertThat(resolution.image().id()).isEqualTo("debian-openbox-vm");
        assertThat(resolution.composition().start().id()).isEqualTo("debian-vm");
        Path instances = home.resolve("vms");
        Files.createDirectories(instances);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ConfigurableApplicationContext ctx = context(instances)) {
            Environments environments = ctx.getBean(Environments.class);
            LibvirtRuntime runtime = ctx.getBean(LibvirtRuntime.class);
            Environment e = environments.launch(resolution, owner);
            Environment running = awaitSettled(environments, e.id(), Duration.ofMinutes(25));
            assertThat(running.state()).as(running.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(ask(environments, runtime, running, "systemctl is-active lightdm")).isEqualTo("active");
            // lightdm logged the VM's user in to openbox on the VM's screen (what QEMU's VNC shows)
            String session = null;
            for (int i = 0; i < 60 && (session == null || session.isEmpty()); i++) {
                session = ask(environments, runtime, running, "pgrep -u genos -x openbox >/dev/null && echo openbox");
                if (session.isEmpty()) {
                    Thread.sleep(2000);
                }
            }
            assertThat(session).isEqualTo("openbox");
            assertThat(environments.history(e.id())).anyMatch(ev -> ev.reason() != null
                    && ev.reason().startsWith("the OPENBOX desktop: "));
            environments.destroy(e.id(), owner);
        }
    }

    @Test
    void unknownPackagesAndImagesThatCannotTakePackagesAreRefusedBeforeAnythingIsBuilt() throws Exception {
        List<String> images = derivedImages();
        Path instances = home.resolve("vms");
        Files.createDirectories(instances);
        try (ConfigurableApplicationContext ctx = context(instances)) {
            Environments environments = ctx.getBean(Environments.class);
            LibvirtRuntime runtime = ctx.getBean(LibvirtRuntime.class);
            Resolution typo = debianVmWith("typo-vm", List.of("htop", "htopp"));
            assertThatThrownBy(() -> environments.preflight(typo)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("htopp (did you mean htop");
            assertThatThrownBy(() -> environments.launch(typo, owner)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("nothing was built");
            assertThat(environments.listByOwner(owner)).as("nothing stored").isEmpty();

            CatalogImage tiny = CATALOG.find("debian-tiny-vm").orElseThrow();
            Resolution onTiny = new Resolution(TinyVm.resolution("tiny", new Resources(1, 256, null, null), tiny)
                    .spec().toBuilder().packages(List.of("htop")).build(), tiny, List.of(),
                    new Composition(tiny, null, null, List.of("htop")));
            assertThatThrownBy(() -> runtime.check(onTiny)).isInstanceOf(InvalidRequestException.class)
                    .hasMessage("packages cannot be added to debian-tiny-vm; ask for debian-vm");
            assertThatThrownBy(() -> runtime.compose(onTiny, io.genos.orchestrator.BuildListener.NONE))
                    .isInstanceOf(InvalidRequestException.class);
        }
        assertThat(derivedImages()).as("no image made").isEqualTo(images);
    }
}
