package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.genos.orchestrator.docker.DockerRuntime;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Os;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Resolution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Terminal-only environments against the real dockerd and the locally built genos/debian-shell:latest. */
class TerminalIT {
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

    /** Collects what a terminal prints. */
    static final class Screen implements TerminalOutput {
        private final StringBuffer text = new StringBuffer();
        volatile String closedReason;

        @Override
        public void output(byte[] bytes) {
            text.append(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void closed(String reason) {
            closedReason = reason;
        }

        String text() {
            return text.toString();
        }

        void awaitText(String needle) {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(text()).contains(needle));
        }
    }

    @Test
    void aTerminalOnlyEnvironmentRunsWithoutADisplayAndItsShellSurvivesDetaching() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off", "genos.orchestrator.display-timeout=30s")
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            Resolution resolution = Catalog.builtIn().resolve(EnvironmentSpec.builder().name("shell")
                    .os(Os.linux("debian", "12")).desktop(Desktop.NONE).build());
            assertThat(resolution.image().id()).isEqualTo("debian-shell");

            long t0 = System.nanoTime();
            String id = environments.launch(resolution, owner).id();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(
                    () -> environments.find(id).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            long running = System.nanoTime() - t0;
            Environment e = environments.find(id).orElseThrow();
            assertThat(e.state()).as(e.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(e.stateReason()).contains("terminal only");
            assertThat(environments.display(id)).isEmpty();

            Screen first = new Screen();
            long t1 = System.nanoTime();
            Terminal terminal = environments.attachTerminal(id, 100, 30, first);
            terminal.write("export GENOS_MARK=abc123; echo hi-$GENOS_MARK\r".getBytes(StandardCharsets.UTF_8));
            first.awaitText("hi-abc123");
            long echoed = System.nanoTime() - t1;

            terminal.resize(120, 40);
            terminal.write("stty size\r".getBytes(StandardCharsets.UTF_8));
            first.awaitText("39 120"); // tmux keeps the last row for its status line
            terminal.close();
            assertThat(terminal.isOpen()).isFalse();
            assertThat(first.closedReason).isEqualTo("closed");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    environments.exec(id, "tmux", "list-clients", "-t", "genos").stdout()).isBlank());

            Screen second = new Screen();
            long t2 = System.nanoTime();
            try (Terminal again = environments.attachTerminal(id, 100, 30, second)) {
                second.awaitText("hi-abc123"); // tmux redraws the same screen
                long reattached = System.nanoTime() - t2;
                again.write("echo same-$GENOS_MARK\r".getBytes(StandardCharsets.UTF_8));
                second.awaitText("same-abc123");
                System.out.printf("terminal: launch to RUNNING %d ms, attach+echo %d ms, re-attach to redraw %d ms%n",
                        running / 1_000_000, echoed / 1_000_000, reattached / 1_000_000);
            }

            assertThatThrownBy(() -> environments.attachTerminal(id, 0, 30, new Screen()))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("0x30");
            environments.destroy(id, owner);
            assertThat(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, id)).exec()).isEmpty();
            assertThatThrownBy(() -> environments.attachTerminal(id, 80, 24, new Screen()))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not running");
        }
    }
}
