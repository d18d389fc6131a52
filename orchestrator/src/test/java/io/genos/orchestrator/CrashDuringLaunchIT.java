package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * GenOS dies (SIGKILL) in the middle of a launch, starts again on the same database, and reconcile leaves the
 * environment either running and reachable or rolled back with no container behind: never half of each.
 */
class CrashDuringLaunchIT {

    private static final String OWNER = "it-crash-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path home;

    private Process child;

    @AfterEach
    void cleanUp() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (String c : docker("ps", "-aq", "--filter", "label=io.genos.owner=" + OWNER).lines().toList()) {
            docker("rm", "-f", c);
        }
    }

    @Test
    void anEnvironmentCutOffMidLaunchEndsRunningOrRolledBackAfterARestart() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LaunchThenWait.class.getName(),
                home.toString(), OWNER).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String id = null;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("LAUNCHED ")) {
                id = line.substring("LAUNCHED ".length()).strip();
                break;
            }
        }
        assertThat(id).as("the child launched an environment").isNotNull();
        String envId = id;
        // Kill as soon as Docker has the container: provisioning is under way (or just finished).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> !docker("ps", "-aq", "--filter", "label=io.genos.environment=" + envId).isBlank());
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.isAlive()).isFalse();

        try (ConfigurableApplicationContext ctx = context(home)) {
            Environments environments = ctx.getBean(Environments.class);
            Environment e = environments.find(envId).orElseThrow();
            List<String> containers = docker("ps", "-aq", "--filter", "label=io.genos.environment=" + envId).lines().toList();
            switch (e.state()) {
                case RUNNING -> {
                    assertThat(containers).hasSize(1);
                    DisplayPoint d = new DisplayPoint(e.displayHost(), e.displayPort());
                    assertThat(d.answersRfb()).as("the display of the environment found running").isTrue();
                    environments.destroy(envId, "test");
                }
                case FAILED -> {
                    assertThat(e.stateReason()).isNotBlank();
                    assertThat(containers).as("containers left of a rolled-back launch").isEmpty();
                }
                default -> throw new AssertionError("after reconcile the environment is " + e.state() + ": " + e.stateReason());
            }
        }
    }

    static ConfigurableApplicationContext context(Path home) {
        return new SpringApplicationBuilder(OrchestratorTestApplication.class)
                // WRITE_DELAY=0, as the portal sets it: a commit is on disk before the call returns, so a SIGKILL loses none
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos") + ";WRITE_DELAY=0",
                        "spring.main.banner-mode=off",
                        "logging.level.root=warn")
                .run();
    }

    /** The JVM that gets killed: launches one environment, says which, and waits to be killed. */
    public static final class LaunchThenWait {
        public static void main(String[] args) throws Exception {
            ConfigurableApplicationContext ctx = context(Path.of(args[0]));
            EnvironmentSpec spec = EnvironmentSpec.builder().name("cut-off").image("debian-openbox")
                    .resources(new Resources(1, 512, null, null)).build();
            Environment e = ctx.getBean(Environments.class).launch(Catalog.builtIn().resolve(spec), args[1]);
            System.out.println("LAUNCHED " + e.id());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5));
        }
    }

    private record DisplayPoint(String host, int port) {
        boolean answersRfb() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
                s.setSoTimeout(5000);
                return new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII).equals("RFB ");
            } catch (java.io.IOException ex) {
                return false;
            }
        }
    }

    private static String docker(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "docker";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }
}
