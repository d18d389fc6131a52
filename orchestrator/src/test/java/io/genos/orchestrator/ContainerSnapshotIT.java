package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.genos.spec.Desktop;
import io.genos.spec.DisplayEndpoint;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Network.Egress;
import io.genos.spec.Os;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Resolution;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Container snapshots against the real dockerd and genos/debian-shell:latest: take (docker commit), list, revert (a new
 * container from the snapshot image), restore into a new environment, and destroy leaving no container and no image.
 */
class ContainerSnapshotIT {
    private static final String FILE = "/var/tmp/genos-snapshot-it.txt";
    private final String owner = "it-snap-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path home;

    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        for (String c : docker("ps", "-aq", "--filter", "label=io.genos.owner=" + owner).lines().toList()) {
            docker("rm", "-f", c);
        }
        for (String n : docker("network", "ls", "-q", "--filter", "label=io.genos.owner=" + owner).lines().toList()) {
            docker("network", "rm", n);
        }
        for (String i : docker("images", "--format", "{{.Repository}}:{{.Tag}}", "--filter",
                "label=io.genos.owner=" + owner).lines().toList()) {
            docker("rmi", "-f", i);
        }
    }

    static String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out.strip();
    }

    private static Environment awaitState(Environments environments, String id, EnvironmentState state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> environments.find(id).orElseThrow().state(), s -> s == state || s == EnvironmentState.FAILED);
        Environment e = environments.find(id).orElseThrow();
        assertThat(e.state()).as("state, reason: " + e.stateReason()).isEqualTo(state);
        return e;
    }

    private static String file(Environments environments, String id) {
        ExecResult r = environments.exec(id, "cat", FILE);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    private static void write(Environments environments, String id, String content) {
        assertThat(environments.exec(id, "sh", "-c", "echo " + content + " > " + FILE).exitCode()).isZero();
    }

    @Test
    void snapshotRevertRestoreAndDestroyLeaveNothingBehind() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off", "genos.orchestrator.display-timeout=30s",
                        "genos.reconcile.interval=0")
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            Resolution resolution = Catalog.builtIn().resolve(EnvironmentSpec.builder().name("snap-src")
                    .os(Os.linux("debian", "12")).desktop(Desktop.NONE).build());
            assertThat(resolution.image().id()).isEqualTo("debian-shell");
            String id = environments.launch(resolution, owner).id();
            Environment source = awaitState(environments, id, EnvironmentState.RUNNING);
            write(environments, id, "first-content");

            long t0 = System.nanoTime();
            Snapshot one = environments.snapshot(id, "one", owner);
            long snapshotMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(one.name()).isEqualTo("one");
            assertThat(one.description()).isEqualTo("taken by " + owner);
            assertThat(docker("images", "-q", "--filter", "label=io.genos.environment=" + id)).isNotBlank();
            write(environments, id, "second-content");
            assertThat(environments.snapshots(id)).extracting(Snapshot::name).containsExactly("one");

            // bad requests change nothing
            assertThatThrownBy(() -> environments.snapshot(id, "one", owner))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already has a snapshot named \"one\"");
            assertThatThrownBy(() -> environments.revert(id, "nope", owner)).isInstanceOf(SnapshotNotFoundException.class);
            assertThatThrownBy(() -> environments.launchFromSnapshot(id, "nope", owner, Quota.UNLIMITED))
                    .isInstanceOf(SnapshotNotFoundException.class);
            assertThatThrownBy(() -> environments.deleteSnapshot(id, "nope", owner))
                    .isInstanceOf(SnapshotNotFoundException.class);
            assertThat(environments.listByOwner(owner)).hasSize(1);
            assertThat(environments.find(id).orElseThrow().runtimeRef()).isEqualTo(source.runtimeRef());
            assertThat(environments.snapshots(id)).extracting(Snapshot::name).containsExactly("one");
            assertThat(file(environments, id)).isEqualTo("second-content");

            long t1 = System.nanoTime();
            Environment reverted = environments.revert(id, "one", owner);
            long revertMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(reverted.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(reverted.runtimeRef()).isNotEqualTo(source.runtimeRef());
            Environment stored = environments.find(id).orElseThrow();
            assertThat(stored.runtimeRef()).as("the new container is recorded").isEqualTo(reverted.runtimeRef());
            assertThat(stored.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(docker("ps", "-aq", "--no-trunc", "--filter", "label=io.genos.environment=" + id))
                    .as("only the new container is left").isEqualTo(reverted.runtimeRef());
            assertThat(file(environments, id)).isEqualTo("first-content");
            assertThat(environments.exec(id, "echo", "alive").stdout().strip()).isEqualTo("alive");
            assertThat(environments.history(id)).extracting(EnvironmentEvent::reason)
                    .contains("snapshot one taken by " + owner, "reverted to snapshot one by " + owner);

            long t2 = System.nanoTime();
            Environment restored = environments.launchFromSnapshot(id, "one", owner, Quota.UNLIMITED);
            assertThat(restored.name()).isEqualTo("snap-src-from-one");
            assertThat(restored.id()).isNotEqualTo(id);
            Environment restoredRunning = awaitState(environments, restored.id(), EnvironmentState.RUNNING);
            long restoreMs = (System.nanoTime() - t2) / 1_000_000;
            assertThat(file(environments, restored.id())).isEqualTo("first-content");
            assertThat(restoredRunning.stateReason()).isEqualTo("it runs (terminal only, no display)");
            assertThat(environments.history(restored.id()).getFirst().reason())
                    .isEqualTo("restored from snapshot one of snap-src (" + id + ") by " + owner);
            assertThat(environments.snapshots(restored.id())).as("a restored environment starts without snapshots").isEmpty();

            // the source can be changed and destroyed: the restored one keeps working
            environments.deleteSnapshot(id, "one", owner);
            assertThat(environments.snapshots(id)).isEmpty();
            environments.destroy(id, owner);
            assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + id)).isEmpty();
            assertThat(docker("images", "-q", "--filter", "label=io.genos.environment=" + id))
                    .as("no image of the source is listed").isEmpty();
            assertThat(file(environments, restored.id())).isEqualTo("first-content");
            environments.stop(restored.id(), owner);
            environments.start(restored.id(), owner);
            assertThat(file(environments, restored.id())).isEqualTo("first-content");

            environments.destroy(restored.id(), owner);
            for (String envId : List.of(id, restored.id())) {
                assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + envId)).isEmpty();
                assertThat(docker("images", "-aq", "--filter", "label=io.genos.environment=" + envId))
                        .as("no image (not even an intermediate one) of " + envId).isEmpty();
            }
            System.out.printf("container snapshots: snapshot (docker commit) %d ms, revert %d ms, "
                    + "restore into a new environment to RUNNING %d ms%n", snapshotMs, revertMs, restoreMs);
        }
    }

    @Test
    void desktopsComeBackWithTheirDisplayOnTheSameKindOfNetworkAndStoppedOnesStayStopped() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off", "genos.orchestrator.display-timeout=30s",
                        "genos.reconcile.interval=0")
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            for (Egress egress : List.of(Egress.OPEN, Egress.NONE)) {
                String id = environments.launch(Specs.openbox("desk-" + egress.name().toLowerCase(java.util.Locale.ROOT), 1, 512, egress), owner).id();
                Environment before = awaitState(environments, id, EnvironmentState.RUNNING);
                environments.snapshot(id, "base", owner);

                Environment reverted = environments.revert(id, "base", owner);
                assertThat(reverted.state()).isEqualTo(EnvironmentState.RUNNING);
                DisplayEndpoint display = environments.display(id).orElseThrow();
                assertThat(display.password()).isEqualTo(before.displayPassword());
                if (egress == Egress.OPEN) {
                    assertThat(display.host()).as("published on loopback only").isEqualTo("127.0.0.1");
                } else {
                    assertThat(display.host()).as("on its internal network").isNotEqualTo("127.0.0.1");
                    assertThat(docker("inspect", "-f", "{{.HostConfig.NetworkMode}}", reverted.runtimeRef()))
                            .isEqualTo("genos-net-" + id);
                }
                assertThat(RfbProbe.banner(new InetSocketAddress(display.host(), display.port()), 2000)).startsWith("RFB");
                assertThat(docker("inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.Init}}",
                        reverted.runtimeRef())).isEqualTo("1000000000 536870912 true");

                environments.stop(id, owner);
                Environment stopped = environments.revert(id, "base", owner);
                assertThat(stopped.state()).as("a container snapshot holds no memory: stopped stays stopped")
                        .isEqualTo(EnvironmentState.STOPPED);
                assertThat(docker("inspect", "-f", "{{.State.Running}}", stopped.runtimeRef())).isEqualTo("false");
                assertThat(environments.start(id, owner).state()).isEqualTo(EnvironmentState.RUNNING);

                if (egress == Egress.NONE) {
                    Environment restored = environments.launchFromSnapshot(id, "base", owner, Quota.UNLIMITED);
                    awaitState(environments, restored.id(), EnvironmentState.RUNNING);
                    DisplayEndpoint rd = environments.display(restored.id()).orElseThrow();
                    assertThat(rd.password()).as("its own password").isNotEqualTo(before.displayPassword());
                    assertThat(docker("inspect", "-f", "{{.HostConfig.NetworkMode}}",
                            environments.find(restored.id()).orElseThrow().runtimeRef()))
                            .isEqualTo("genos-net-" + restored.id());
                    environments.destroy(restored.id(), owner);
                    assertThat(docker("network", "ls", "-q", "--filter", "name=genos-net-" + restored.id())).isEmpty();
                }
                environments.destroy(id, owner);
                assertThat(docker("images", "-aq", "--filter", "label=io.genos.environment=" + id)).isEmpty();
                assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + id)).isEmpty();
            }
        }
    }
}
