package io.genos.portal.quota;

import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.portal.service.Actor;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.service.NotAllowedException;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.Quota;
import io.genos.orchestrator.QuotaExceededException;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Resolution;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Quotas from configuration, enforced at launch on the real dockerd: a refused launch creates nothing at all. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuotaIT {

    private static final String OWNER = "erin-" + UUID.randomUUID().toString().substring(0, 6);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("genos.home", () -> tempDir());
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
        registry.add("genos.quotas.users[" + OWNER + "].max-running", () -> "1");
        registry.add("genos.quotas.users[" + OWNER + "].cpus", () -> "2");
        registry.add("genos.quotas.users[" + OWNER + "].memory", () -> "2048");
        registry.add("genos.quotas.users[" + OWNER + "].disk", () -> "50");
        registry.add("genos.quotas.users[" + OWNER + "].gpus", () -> "0");
    }

    @Autowired
    Environments environments;

    @Autowired
    Catalog catalog;

    @Autowired
    Quotas quotas;

    @Autowired
    EnvironmentService service;

    @Autowired
    io.genos.portal.audit.AuditLog audit;

    @AfterEach
    void cleanUp() throws Exception {
        removeLabelled("io.genos.owner=" + OWNER);
    }

    @Test
    void refusesALaunchBeyondTheQuotaBeforeAnythingIsCreated() throws Exception {
        Quota quota = quotas.forUser(OWNER, List.of("ROLE_USER"));
        assertThat(quota).isEqualTo(new Quota(1, 2, 2048, 50, 0));

        Environment first = environments.launch(resolution("first", 1), OWNER, quota);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> environments.find(first.id()).orElseThrow().state() == EnvironmentState.RUNNING);

        assertThatThrownBy(() -> environments.launch(resolution("second", 1), OWNER, quota))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("at most 1 environment(s)");
        assertThat(environments.listByOwner(OWNER)).extracting(Environment::name).containsExactly("first");
        assertThat(docker("ps", "-aq", "--filter", "label=io.genos.owner=" + OWNER).lines()).hasSize(1);

        environments.destroy(first.id(), OWNER);
        assertThatThrownBy(() -> environments.launch(resolution("greedy", 3), OWNER, quota))
                .isInstanceOf(QuotaExceededException.class)
                .satisfies(e -> assertThat(((QuotaExceededException) e).limit()).isEqualTo("CPUs"));
        assertThat(docker("ps", "-aq", "--filter", "label=io.genos.owner=" + OWNER)).isBlank();
    }

    /**
     * Through the application service, as every door goes: a stopped environment does not run, so another may be
     * launched; starting the first again would run two and is refused, as is reverting it to a snapshot taken while it
     * ran. Nothing changes: it stays stopped. Once the other is gone, it starts. (Before, start and revert skipped
     * the quota: stop, launch, start gave two running with a quota of one.)
     */
    @Test
    void stopLaunchStartAndRevertCannotGoBeyondTheQuota() throws Exception {
        Actor erin = new Actor(OWNER, false, List.of("ROLE_USER"));
        Environment first = service.launch(spec("first", 1), List.of(), erin);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> environments.find(first.id()).orElseThrow().state() == EnvironmentState.RUNNING);
        service.snapshot(first.id(), "running", erin);
        service.stop(first.id(), erin);
        Environment second = service.launch(spec("second", 1), List.of(), erin);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> environments.find(second.id()).orElseThrow().state() == EnvironmentState.RUNNING);

        assertThatThrownBy(() -> service.start(first.id(), erin)).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("at most 1 environment(s)");
        assertThatThrownBy(() -> service.revert(first.id(), "running", erin)).isInstanceOf(QuotaExceededException.class);
        assertThat(environments.find(first.id()).orElseThrow().state()).isEqualTo(EnvironmentState.STOPPED);
        assertThat(docker("ps", "-q", "--filter", "label=io.genos.owner=" + OWNER).lines()).as("one running").hasSize(1);

        // the positive control: the orchestrator's start without a quota would have run it
        service.destroy(second.id(), erin);
        assertThat(service.start(first.id(), erin).state()).isEqualTo(EnvironmentState.RUNNING);
        Actor mallory = new Actor("mallory", false, List.of("ROLE_USER"));
        assertThatThrownBy(() -> service.stop(first.id(), mallory)).isInstanceOf(NotAllowedException.class);
        assertThat(service.openDisplay(first.id(), mallory)).as("someone else's display").isEmpty();
        // an admin may open it, and that is audited; the owner opening it is not
        service.openDisplay(first.id(), erin);
        assertThat(audit.recent("admin-access", 10)).isEmpty();
        assertThat(service.openDisplay(first.id(), new Actor("root-admin", true, List.of("ROLE_ADMIN")))).isPresent();
        assertThat(audit.recent("admin-access", 10)).singleElement().satisfies(a -> {
            assertThat(a.actor()).isEqualTo("root-admin");
            assertThat(a.detail()).contains("opened the display of " + OWNER + "/first");
        });
        service.destroy(first.id(), erin);
    }

    @Test
    void aUserWithoutAnyConfiguredRoleMayLaunchNothing() {
        assertThat(quotas.forUser("nobody", List.of("ROLE_GUEST")).maxRunning()).isZero();
        assertThat(quotas.forUser("someone", List.of("ROLE_USER")).maxRunning()).isEqualTo(3);
        assertThat(quotas.forUser("boss", List.of("ROLE_USER", "ROLE_ADMIN")).cpus()).isEqualTo(32);
    }

    private static EnvironmentSpec spec(String name, int cpus) {
        return EnvironmentSpec.builder().name(name).image("debian-openbox")
                .resources(new Resources(cpus, 512, null, null)).build();
    }

    private Resolution resolution(String name, int cpus) {
        return catalog.resolve(EnvironmentSpec.builder().name(name).image("debian-openbox")
                .resources(new Resources(cpus, 512, null, null)).build());
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("genos-quota-").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
