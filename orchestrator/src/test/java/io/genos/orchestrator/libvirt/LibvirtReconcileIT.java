package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.Vnc;
import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A VM whose record is lost is adopted from its domain's GenOS metadata (owner, name, image, spec, installation) with
 * its VNC password read back from libvirt, against the real libvirtd and QEMU.
 */
class LibvirtReconcileIT {
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

    @Test
    void aVmWithoutItsRecordIsAdoptedFromItsMetadata() throws Exception {
        Path instances = home.resolve("vms");
        Files.createDirectories(instances);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Class<?> application = Class.forName("io.genos.orchestrator.OrchestratorTestApplication");
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(application)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off", "genos.orchestrator.display-timeout=60s",
                        "genos.reconcile.interval=0",
                        "genos.orchestrator.libvirt.enabled=true",
                        "genos.orchestrator.libvirt.images-dir=" + TinyVm.IMAGES,
                        "genos.orchestrator.libvirt.instances-dir=" + instances)
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            Environment launched = environments.launch(TinyVm.resolution("tiny-lost", Egress.NONE), owner);
            await().atMost(Duration.ofSeconds(90)).until(() -> environments.find(launched.id()).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            Environment before = environments.find(launched.id()).orElseThrow();
            assertThat(before.state()).as(before.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            JdbcClient db = JdbcClient.create(ctx.getBean(DataSource.class));
            db.sql("delete from genos_environment_event where environment_id = ?").param(launched.id()).update();
            db.sql("delete from genos_environment where id = ?").param(launched.id()).update();

            List<String> changes = environments.reconcile("genos (reconcile)");

            assertThat(changes).contains(launched.id() + ": adopted running as " + owner + "/tiny-lost");
            Environment adopted = environments.find(launched.id()).orElseThrow();
            assertThat(adopted.kind()).isEqualTo(Kind.VM);
            assertThat(adopted.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(adopted.imageId()).isEqualTo(before.imageId());
            assertThat(adopted.runtimeRef()).isEqualTo(before.runtimeRef());
            assertThat(adopted.spec()).isEqualTo(before.spec());
            assertThat(adopted.displayPassword()).as("read back with the secure flag").isEqualTo(before.displayPassword());
            var display = environments.display(launched.id()).orElseThrow();
            assertThat(Vnc.authenticate(new InetSocketAddress(display.host(), display.port()), display.password()))
                    .isZero();
            environments.destroy(launched.id(), owner);
            assertThat(environments.find(launched.id()).orElseThrow().state()).isEqualTo(EnvironmentState.DESTROYED);
        }
    }
}
