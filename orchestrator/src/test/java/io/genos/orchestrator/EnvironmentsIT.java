package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.genos.orchestrator.OrchestratorTestApplication.RecordedEvents;
import io.genos.orchestrator.docker.DockerRuntime;
import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Network.Egress;
import io.genos.spec.Streaming.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The service in a Spring Boot context with the real dockerd, genos/debian-openbox:latest and an H2 file database. */
class EnvironmentsIT {
    private static DockerClient docker;
    private final String owner = "it-" + UUID.randomUUID();

    @TempDir
    Path home;

    @BeforeAll
    static void connect() {
        docker = DockerRuntime.client(OrchestratorProperties.defaults());
    }

    @AfterAll
    static void disconnect() throws Exception {
        docker.close();
    }

    @AfterEach
    void removeWhatThisTestCreated() {
        Leftovers.removeContainersAndNetworks(docker, owner);
    }

    private ConfigurableApplicationContext context() {
        return new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off",
                        "genos.orchestrator.display-timeout=30s")
                .run();
    }

    private static Environment awaitState(Environments environments, String id, EnvironmentState state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> environments.find(id).orElseThrow().state(), s -> s == state || s == EnvironmentState.FAILED);
        Environment e = environments.find(id).orElseThrow();
        assertThat(e.state()).as("state, reason: " + e.stateReason()).isEqualTo(state);
        return e;
    }

    private List<?> containersOf(String environmentId) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, environmentId)).exec();
    }

    @Test
    void launchesToRunningStreamsWithItsPasswordAndStopsStartsAndDestroys() throws Exception {
        try (ConfigurableApplicationContext ctx = context()) {
            Environments environments = ctx.getBean(Environments.class);
            RecordedEvents recorded = ctx.getBean(RecordedEvents.class);

            long t0 = System.nanoTime();
            Environment requested = environments.launch(Specs.openbox("desk", 1, 512, Egress.OPEN), owner);
            long t1 = System.nanoTime();
            assertThat(requested.state()).isEqualTo(EnvironmentState.REQUESTED);
            Environment running = awaitState(environments, requested.id(), EnvironmentState.RUNNING);
            long t2 = System.nanoTime();

            DisplayEndpoint display = environments.display(running.id()).orElseThrow();
            assertThat(display.protocol()).isEqualTo(Protocol.VNC);
            assertThat(display.host()).isEqualTo("127.0.0.1");
            assertThat(display.password()).isEqualTo(requested.displayPassword());
            InetSocketAddress address = new InetSocketAddress(display.host(), display.port());
            assertThat(Vnc.authenticate(address, display.password())).isZero();
            assertThat(environments.exec(running.id(), "id", "-un").stdout().strip()).isEqualTo("user");
            assertThat(recorded.events).filteredOn(EnvironmentStateChanged.class::isInstance)
                    .extracting(e -> ((EnvironmentStateChanged) e).to())
                    .containsSubsequence(EnvironmentState.REQUESTED, EnvironmentState.PROVISIONING, EnvironmentState.RUNNING);
            assertThat(recorded.events).filteredOn(EnvironmentProgress.class::isInstance)
                    .extracting(e -> ((EnvironmentProgress) e).text())
                    .contains("creating the container", "starting", "waiting for the display");

            long t3 = System.nanoTime();
            environments.stop(running.id(), "alice");
            long t4 = System.nanoTime();
            assertThat(environments.display(running.id())).isEmpty();
            Environment restarted = environments.start(running.id(), "alice");
            long t5 = System.nanoTime();
            assertThat(restarted.state()).isEqualTo(EnvironmentState.RUNNING);
            DisplayEndpoint again = environments.display(running.id()).orElseThrow();
            assertThat(Vnc.authenticate(new InetSocketAddress(again.host(), again.port()), again.password())).isZero();

            long t6 = System.nanoTime();
            environments.destroy(running.id(), "alice");
            long t7 = System.nanoTime();
            assertThat(containersOf(running.id())).isEmpty();
            assertThat(environments.find(running.id()).orElseThrow().state()).isEqualTo(EnvironmentState.DESTROYED);
            System.out.printf("service: launch returned in %d ms, REQUESTED to RUNNING %d ms, stop %d ms, "
                            + "start (display answering) %d ms, destroy %d ms%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000,
                    (t7 - t6) / 1_000_000);
        }
    }

    @Test
    void aLaunchWhoseImageDoesNotExistEndsFailedWithAReadableReasonAndLeavesNothing() {
        try (ConfigurableApplicationContext ctx = context()) {
            Environments environments = ctx.getBean(Environments.class);

            Environment requested = environments.launch(
                    Specs.resolution("ghost", 1, 512, Egress.NONE, "genos/does-not-exist:latest", null), owner);
            Environment failed = awaitState(environments, requested.id(), EnvironmentState.FAILED);

            assertThat(failed.stateReason()).isEqualTo("the image genos/does-not-exist:latest is not on this Docker "
                    + "host: GenOS builds its own images with ./genos images (they are not pulled from a registry)");
            assertThat(containersOf(requested.id())).isEmpty();
            assertThat(docker.listNetworksCmd().withFilter("label",
                    List.of(EnvironmentRuntime.LABEL_ENVIRONMENT + "=" + requested.id())).exec()).isEmpty();
            assertThat(environments.history(requested.id())).extracting(EnvironmentEvent::to).containsExactly(
                    EnvironmentState.REQUESTED, EnvironmentState.PROVISIONING, EnvironmentState.FAILED);
        }
    }

    @Test
    void aRunningEnvironmentSurvivesANewContextOnTheSameDatabaseFile() throws Exception {
        String id;
        DisplayEndpoint before;
        try (ConfigurableApplicationContext first = context()) {
            Environments environments = first.getBean(Environments.class);
            id = environments.launch(Specs.openbox("sealed", 1, 512, Egress.NONE), owner).id();
            awaitState(environments, id, EnvironmentState.RUNNING);
            before = environments.display(id).orElseThrow();
        }

        try (ConfigurableApplicationContext second = context()) {
            Environments environments = second.getBean(Environments.class);
            Environment e = environments.find(id).orElseThrow();
            assertThat(e.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(e.owner()).isEqualTo(owner);
            assertThat(e.spec().network().egress()).isEqualTo(Egress.NONE);
            assertThat(environments.listByOwner(owner)).extracting(Environment::id).containsExactly(id);
            DisplayEndpoint after = environments.display(id).orElseThrow();
            assertThat(after).isEqualTo(before);
            assertThat(Vnc.authenticate(new InetSocketAddress(after.host(), after.port()), after.password())).isZero();

            docker.stopContainerCmd(environments.find(id).orElseThrow().runtimeRef()).exec();
            assertThat(environments.reconcile("admin")).contains(id + ": running -> stopped (found stopped)");
            assertThat(environments.find(id).orElseThrow().state()).isEqualTo(EnvironmentState.STOPPED);
            environments.start(id, owner);
            assertThat(environments.display(id)).isPresent();

            environments.destroy(id, owner);
            assertThat(containersOf(id)).isEmpty();
            assertThat(docker.listNetworksCmd().withNameFilter("genos-net-" + id).exec()).isEmpty();
        }
    }
}
