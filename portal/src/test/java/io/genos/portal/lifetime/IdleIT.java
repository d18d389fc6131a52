package io.genos.portal.lifetime;

import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Lifetime;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Idle stop on a real container: while input arrives (as the tunnel reports it) the environment keeps running past
 * its idle timeout; once input stops it is stopped (not destroyed: the container is still there).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdleIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        String home = Files.createTempDirectory("genos-idle-").toString();
        registry.add("genos.home", () -> home);
        registry.add("genos.lifetime.check-interval", () -> "PT0.5S");
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
    }

    @Autowired
    Environments environments;

    @Autowired
    Catalog catalog;

    @Autowired
    Activity activity;

    private String id;

    @AfterEach
    void cleanUp()  {
        if (id != null) {
            removeLabelled("io.genos.environment=" + id);
        }
    }

    @Test
    void keepsRunningWhileInputFlowsAndStopsWhenItDoesNot() throws Exception {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("idle-one").image("debian-openbox")
                .resources(new Resources(1, 512, null, null)).lifetime(new Lifetime(null, "PT3S")).build();
        Environment env = environments.launch(catalog.resolve(spec), "frank");
        id = env.id();
        await().atMost(Duration.ofSeconds(60)).until(() -> environments.find(id).orElseThrow().state() == EnvironmentState.RUNNING);

        long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        while (System.nanoTime() < until) { // input for more than twice the idle timeout
            activity.touch(id);
            Thread.sleep(300);
            assertThat(environments.find(id).orElseThrow().state()).as("state while input flows").isEqualTo(EnvironmentState.RUNNING);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> environments.find(id).orElseThrow().state() == EnvironmentState.STOPPED);
        assertThat(environments.history(id)).anyMatch(e -> e.actor().contains("idle"));
        assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + id)).as("the stopped container").isNotBlank();
        assertThat(docker("ps", "-q", "--filter", "label=io.genos.environment=" + id)).as("running containers").isBlank();
    }

}
