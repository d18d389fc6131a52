package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.EnvironmentEvent;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.Snapshot;
import io.genos.orchestrator.SnapshotNotFoundException;
import io.genos.spec.Network.Egress;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.Vnc;
import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A VM environment through the orchestrator's service, in a Spring Boot context assembled as the portal does (it
 * scans io.genos) with {@code genos.orchestrator.libvirt.enabled=true}, against the real libvirtd and QEMU.
 */
class LibvirtEnvironmentsIT {
    private final String owner = "it-" + UUID.randomUUID();

    @TempDir
    Path home;

    @BeforeAll
    static void prepare() throws Exception {
        TinyVm.ensureBuilt();
    }

    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        io.genos.orchestrator.Leftovers.removeDomains(owner);
    }

    private ConfigurableApplicationContext context(Path instances) throws Exception {
        // the module's own test application (package-private in io.genos.orchestrator), as the portal assembles it
        Class<?> application = Class.forName("io.genos.orchestrator.OrchestratorTestApplication");
        return new SpringApplicationBuilder(application)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off",
                        "genos.orchestrator.display-timeout=60s",
                        "genos.orchestrator.libvirt.enabled=true",
                        "genos.orchestrator.libvirt.images-dir=" + TinyVm.IMAGES,
                        "genos.orchestrator.libvirt.instances-dir=" + instances)
                .run();
    }

    private static Environment awaitState(Environments environments, String id, EnvironmentState state) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> environments.find(id).orElseThrow().state(), s -> s == state || s == EnvironmentState.FAILED);
        Environment e = environments.find(id).orElseThrow();
        assertThat(e.state()).as("state, reason: " + e.stateReason()).isEqualTo(state);
        return e;
    }

    @Test
    void launchesAVmToRunningStreamsWithItsPasswordAndStopsStartsAndDestroys() throws Exception {
        Path instances = home.resolve("vms");
        Files.createDirectories(instances);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ConfigurableApplicationContext ctx = context(instances)) {
            Environments environments = ctx.getBean(Environments.class);
            LibvirtRuntime runtime = ctx.getBean(LibvirtRuntime.class);

            long t0 = System.nanoTime();
            Environment launched = environments.launch(TinyVm.resolution("tiny", 1, 256, null), owner);
            long t1 = System.nanoTime();
            Environment running = awaitState(environments, launched.id(), EnvironmentState.RUNNING);
            long t2 = System.nanoTime();

            if (runtime.acceleration() == Acceleration.TCG) {
                assertThat(launched.warnings()).contains(LibvirtRuntime.TCG_WARNING);
            }
            DisplayEndpoint display = environments.display(launched.id()).orElseThrow();
            assertThat(display.protocol()).isEqualTo(Protocol.VNC);
            assertThat(display.host()).isEqualTo("127.0.0.1");
            InetSocketAddress address = new InetSocketAddress(display.host(), display.port());
            assertThat(Vnc.authenticate(address, display.password())).isZero();
            assertThat(running.runtimeRef()).isNotBlank();
            assertThat(environments.reconcile("it")).noneMatch(c -> c.startsWith(launched.id()));
            assertThatThrownBy(() -> environments.exec(launched.id(), "true"))
                    .isInstanceOf(RuntimeFailureException.class).hasMessageContaining("no guest agent");

            long s0 = System.nanoTime();
            environments.stop(launched.id(), owner);
            long stopMillis = (System.nanoTime() - s0) / 1_000_000;
            assertThat(stopMillis).as("graceful stop (ACPI), even right after RUNNING: the guest may still be booting")
                    .isLessThan(runtime.properties().stopTimeout().toMillis());
            assertThat(environments.display(launched.id())).isEmpty();
            Environment restarted = environments.start(launched.id(), owner);
            assertThat(restarted.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(Vnc.authenticate(new InetSocketAddress(restarted.displayHost(), restarted.displayPort()),
                    display.password())).isZero();

            environments.destroy(launched.id(), owner);
            assertThat(environments.find(launched.id()).orElseThrow().state()).isEqualTo(EnvironmentState.DESTROYED);
            assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, launched.id()))).isEmpty();
            assertThat(instances.resolve(launched.id())).doesNotExist();
            System.out.printf("environments (VM, %s): launch returned in %d ms, RUNNING (VNC answers) after %d ms, "
                    + "stop %d ms%n", runtime.acceleration(), (t1 - t0) / 1_000_000, (t2 - t0) / 1_000_000, stopMillis);
        }
    }

    @Test
    void aStoppedVmRevertedToARunningSnapshotRunsAgainAndDestroyLeavesNoSnapshotDomainFileOrNetwork() throws Exception {
        Path instances = home.resolve("vms");
        Files.createDirectories(instances);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ConfigurableApplicationContext ctx = context(instances)) {
            Environments environments = ctx.getBean(Environments.class);
            LibvirtRuntime runtime = ctx.getBean(LibvirtRuntime.class);
            Environment launched = environments.launch(TinyVm.resolution("snappy", Egress.OPEN), owner);
            Environment running = awaitState(environments, launched.id(), EnvironmentState.RUNNING);
            RuntimeHandle handle = new RuntimeHandle(running.id(), running.runtimeRef());
            TinyVm.awaitSerial(runtime, handle, "GENOS-NET-UP", Duration.ofSeconds(40));

            Snapshot booted = environments.snapshot(launched.id(), "booted", "alice");
            assertThatThrownBy(() -> environments.snapshot(launched.id(), "booted", "alice"))
                    .isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> environments.snapshot(launched.id(), "Booted!", "alice"))
                    .isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> environments.revert(launched.id(), "nope", "alice"))
                    .isInstanceOf(SnapshotNotFoundException.class);
            environments.stop(launched.id(), "alice");
            long t0 = System.nanoTime();
            Environment reverted = environments.revert(launched.id(), "booted", "bob");
            long t1 = System.nanoTime();

            assertThat(booted.description()).isEqualTo("taken by alice");
            assertThat(environments.snapshots(launched.id())).extracting(Snapshot::name).containsExactly("booted");
            assertThat(reverted.state()).as("the snapshot was taken while running").isEqualTo(EnvironmentState.RUNNING);
            DisplayEndpoint display = environments.display(launched.id()).orElseThrow();
            assertThat(Vnc.authenticate(new InetSocketAddress(display.host(), display.port()), display.password()))
                    .as("the display answers again, with the same password").isZero();
            TinyVm.type(runtime, handle, "echo REVERTED-$((40+2))");
            TinyVm.awaitSerial(runtime, handle, "REVERTED-42", Duration.ofSeconds(20));
            assertThat(environments.history(launched.id())).extracting(EnvironmentEvent::reason, EnvironmentEvent::actor)
                    .containsSubsequence(org.assertj.core.groups.Tuple.tuple("snapshot booted taken by alice", "alice"),
                            org.assertj.core.groups.Tuple.tuple("stopped by alice", "alice"),
                            org.assertj.core.groups.Tuple.tuple("reverted to snapshot booted by bob", "bob"));

            environments.deleteSnapshot(launched.id(), "booted", "carol");
            assertThat(environments.snapshots(launched.id())).isEmpty();
            environments.snapshot(launched.id(), "again", "carol");
            String domainName = LibvirtRuntime.domainName(launched.id());
            environments.destroy(launched.id(), owner);

            assertThat(environments.snapshots(launched.id())).isEmpty();
            assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, launched.id()))).isEmpty();
            assertThat(Path.of("/var/lib/libvirt/qemu/snapshot", domainName)).doesNotExist();
            assertThat(instances.resolve(launched.id())).doesNotExist();
            assertThat(environments.history(launched.id())).extracting(EnvironmentEvent::reason)
                    .contains("snapshot booted deleted by carol", "snapshot again taken by carol");
            System.out.printf("environments (VM, %s): revert of a stopped VM to a running snapshot until the display "
                    + "answers %d ms%n", runtime.acceleration(), (t1 - t0) / 1_000_000);
        }
    }
}
