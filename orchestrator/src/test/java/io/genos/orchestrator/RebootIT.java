package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import com.github.dockerjava.api.DockerClient;
import io.genos.orchestrator.docker.DockerRuntime;
import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Network.Egress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A reboot on the real dockerd: the container is restarted (new processes, same filesystem), the environment stays
 * RUNNING with a display that answers, and the history says who rebooted it.
 */
class RebootIT {
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

    @Test
    void aRebootRestartsTheContainerKeepsItsFilesAndTheDisplayAnswersAgain() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off", "genos.orchestrator.display-timeout=30s")
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            Environment e = environments.launch(Specs.openbox("reboot", 1, 512, Egress.OPEN), owner);
            await().atMost(Duration.ofSeconds(60)).until(() -> environments.find(e.id()).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            Environment running = environments.find(e.id()).orElseThrow();
            assertThat(running.state()).as(running.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(environments.exec(e.id(), "sh", "-c", "echo kept > \"$HOME/marker\"").exitCode()).isZero();
            String startedBefore = docker.inspectContainerCmd(running.runtimeRef()).exec().getState().getStartedAt();

            long t0 = System.nanoTime();
            Environment rebooted = environments.reboot(e.id(), owner);
            long millis = (System.nanoTime() - t0) / 1_000_000;

            assertThat(rebooted.state()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(docker.inspectContainerCmd(rebooted.runtimeRef()).exec().getState().getStartedAt())
                    .as("a new start").isNotEqualTo(startedBefore);
            assertThat(environments.exec(e.id(), "sh", "-c", "cat \"$HOME/marker\"").stdout().strip()).isEqualTo("kept");
            DisplayEndpoint display = environments.display(e.id()).orElseThrow();
            assertThat(Vnc.awaitBanner(new java.net.InetSocketAddress(display.host(), display.port()),
                    Duration.ofSeconds(20))).isEqualTo("RFB 003.008");
            assertThat(environments.history(e.id()).getLast().reason()).isEqualTo("rebooted by " + owner);
            System.out.printf("docker reboot to display answering: %d ms%n", millis);
            environments.destroy(e.id(), owner);
        }
    }
}
