package io.genos.orchestrator;

import static io.genos.orchestrator.ContainerSnapshotIT.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.docker.DockerRuntime;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Os;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Resolution;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reconcile against the real dockerd: containers labelled with this installation's id and no record are adopted (or
 * removed once their lifetime ended), leftovers of destroyed environments are removed, and another installation's
 * containers are only reported.
 */
class ReconcileIT {
    private final String owner = "it-reconcile-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path home;

    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        for (String c : docker("ps", "-aq", "--filter", "label=io.genos.owner=" + owner).lines().toList()) {
            docker("rm", "-f", c);
        }
        for (String i : docker("images", "--format", "{{.Repository}}:{{.Tag}}", "--filter",
                "label=io.genos.owner=" + owner).lines().toList()) {
            docker("rmi", "-f", i);
        }
    }

    private ConfigurableApplicationContext context() {
        return new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off", "genos.orchestrator.display-timeout=30s",
                        "genos.reconcile.interval=0")
                .run();
    }

    private static Resolution shell(String name) {
        return Catalog.builtIn().resolve(EnvironmentSpec.builder().name(name).os(Os.linux("debian", "12"))
                .desktop(Desktop.NONE).build());
    }

    /** A container made by the runtime directly, as if GenOS had launched it and then lost its record. */
    private RuntimeHandle containerWithoutRecord(DockerRuntime runtime, String installation, String name,
            Instant expiresAt) {
        Resolution r = shell(name);
        String id = UUID.randomUUID().toString();
        RuntimeHandle h = runtime.create(new RuntimeRequest(id, owner, name, r, "pw" + id.substring(0, 6), Map.of(
                EnvironmentRuntime.LABEL_INSTALLATION, installation,
                EnvironmentRuntime.LABEL_NAME, name,
                EnvironmentRuntime.LABEL_EXPIRES_AT, expiresAt == null ? "" : expiresAt.toString(),
                EnvironmentRuntime.LABEL_SPEC, EnvironmentStore.specJson(r.spec()))));
        runtime.start(h);
        return h;
    }

    @Test
    void adoptsALostEnvironmentRemovesExpiredAndLeftoverOnesAndLeavesAnotherInstallationsAlone() throws Exception {
        try (ConfigurableApplicationContext ctx = context()) {
            Environments environments = ctx.getBean(Environments.class);
            DockerRuntime runtime = ctx.getBean(DockerRuntime.class);
            JdbcClient db = JdbcClient.create(ctx.getBean(DataSource.class));
            String installation = environments.installationId();
            assertThat(installation).as("one id per database, kept").isEqualTo(environments.installationId())
                    .hasSize(36);

            // (a) launched, then its record lost
            Environment launched = environments.launch(shell("lost-one"), owner);
            await().atMost(Duration.ofSeconds(60)).until(() -> environments.find(launched.id()).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            Environment before = environments.find(launched.id()).orElseThrow();
            assertThat(before.state()).as(before.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            db.sql("delete from genos_environment_event where environment_id = ?").param(launched.id()).update();
            db.sql("delete from genos_environment where id = ?").param(launched.id()).update();
            assertThat(environments.find(launched.id())).isEmpty();

            // (b) a container whose lifetime ended while it had no record
            RuntimeHandle expired = containerWithoutRecord(runtime, installation, "expired-one",
                    Instant.now().minusSeconds(3600));
            // (c) another installation's container
            RuntimeHandle foreign = containerWithoutRecord(runtime, "other-" + UUID.randomUUID(), "foreign-one", null);
            // (d) a leftover: the record says destroyed, the container is there
            Environment gone = environments.launch(shell("gone-one"), owner);
            await().atMost(Duration.ofSeconds(60)).until(() -> environments.find(gone.id()).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            environments.destroy(gone.id(), owner);
            Resolution goneSpec = shell("gone-one");
            RuntimeHandle leftover = runtime.create(new RuntimeRequest(gone.id(), owner, "gone-one", goneSpec, "pw",
                    Map.of(EnvironmentRuntime.LABEL_INSTALLATION, installation)));
            // (e) snapshot images left by a destroy that did not finish: container gone, record destroyed
            Environment snapped = environments.launch(shell("snapped-one"), owner);
            await().atMost(Duration.ofSeconds(60)).until(() -> environments.find(snapped.id()).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            environments.snapshot(snapped.id(), "kept", owner);
            docker("rm", "-f", environments.find(snapped.id()).orElseThrow().runtimeRef());
            db.sql("update genos_environment set state = 'DESTROYED', runtime_ref = null, active_name = null where id = ?")
                    .param(snapped.id()).update();
            assertThat(docker("images", "-q", "--filter", "label=io.genos.environment=" + snapped.id())).isNotBlank();

            long t0 = System.nanoTime();
            List<String> changes = environments.reconcile(PeriodicReconcile.ACTOR);
            long reconcileMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(changes).contains(launched.id() + ": adopted running as " + owner + "/lost-one");
            Environment adopted = environments.find(launched.id()).orElseThrow();
            assertThat(adopted.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(adopted.owner()).isEqualTo(owner);
            assertThat(adopted.name()).isEqualTo("lost-one");
            assertThat(adopted.imageId()).isEqualTo("debian-shell");
            assertThat(adopted.runtimeRef()).isEqualTo(before.runtimeRef());
            assertThat(adopted.displayPassword()).as("read back from the container").isEqualTo(before.displayPassword());
            assertThat(adopted.spec()).isEqualTo(before.spec());
            assertThat(adopted.expiresAt()).isNull();
            assertThat(environments.exec(launched.id(), "echo", "adopted").stdout().strip()).isEqualTo("adopted");
            assertThat(environments.history(launched.id())).singleElement().satisfies(ev -> {
                assertThat(ev.actor()).isEqualTo("genos (reconcile)");
                assertThat(ev.to()).isEqualTo(EnvironmentState.RUNNING);
                assertThat(ev.reason()).startsWith("adopted by reconcile: its container " + before.runtimeRef()
                        + " was found running with no record here");
            });

            assertThat(changes).anyMatch(c -> c.startsWith(expired.environmentId() + ": removed (no record, lifetime ended"));
            assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + expired.environmentId())).isEmpty();
            Environment expiredRecord = environments.find(expired.environmentId()).orElseThrow();
            assertThat(expiredRecord.state()).isEqualTo(EnvironmentState.DESTROYED);
            assertThat(environments.history(expired.environmentId())).singleElement()
                    .satisfies(ev -> assertThat(ev.actor()).isEqualTo("genos (reconcile)"));

            assertThat(changes).anyMatch(c -> c.startsWith("orphan container " + foreign.ref() + " of environment "
                    + foreign.environmentId()) && c.endsWith("(left alone)"));
            assertThat(docker("ps", "-q", "--no-trunc", "--filter", "label=io.genos.environment=" + foreign.environmentId()))
                    .as("another installation's container still runs").isEqualTo(foreign.ref());
            assertThat(environments.find(foreign.environmentId())).isEmpty();

            assertThat(changes).anyMatch(c -> c.startsWith(gone.id() + ": removed its leftover container " + leftover.ref()));
            assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + gone.id())).isEmpty();
            assertThat(environments.history(gone.id()).getLast().reason()).startsWith("removed its leftover container");
            assertThat(environments.history(gone.id()).getLast().actor()).isEqualTo("genos (reconcile)");

            assertThat(changes).contains(snapped.id() + ": removed its leftover snapshots: the environment is destroyed "
                    + "(an earlier cleanup had not finished)");
            assertThat(docker("images", "-aq", "--filter", "label=io.genos.environment=" + snapped.id())).isEmpty();

            List<String> again = environments.reconcile(PeriodicReconcile.ACTOR);
            assertThat(again).as("a second run changes nothing (other workers' containers may be reported)")
                    .allMatch(c -> c.startsWith("orphan ") && c.endsWith("(left alone)"))
                    .anyMatch(c -> c.contains(foreign.environmentId()));
            System.out.printf("reconcile: adopt + remove expired + remove leftover + report foreign in %d ms%n",
                    reconcileMs);
            environments.destroy(launched.id(), owner);
        }
    }

    @Test
    void reconcilesPeriodicallyWhenAnIntervalIsSet() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/periodic"),
                        "spring.main.banner-mode=off", "genos.reconcile.interval=500ms")
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            RuntimeHandle h = containerWithoutRecord(ctx.getBean(DockerRuntime.class), environments.installationId(),
                    "periodic-one", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> environments.find(h.environmentId()).isPresent());
            assertThat(environments.find(h.environmentId()).orElseThrow().state()).isEqualTo(EnvironmentState.RUNNING);
            environments.destroy(h.environmentId(), owner);
        }
    }
}
