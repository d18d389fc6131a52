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
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A real container launched with a two-second lifetime is destroyed by the schedule, container and all. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LifetimeIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path home = Files.createTempDirectory("genos-lifetime-");
        registry.add("genos.home", home::toString);
        registry.add("genos.lifetime.check-interval", () -> "PT1S");
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
    }

    @Autowired
    Environments environments;

    @Autowired
    Catalog catalog;

    private String id;

    @AfterEach
    void cleanUp()  {
        if (id != null) {
            removeLabelled("io.genos.environment=" + id);
        }
    }

    @Test
    void destroysAnEnvironmentWhenItsLifetimeEnds() throws Exception {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("short-lived").image("debian-openbox")
                .resources(new Resources(1, 512, null, null)).lifetime(new Lifetime("PT3S", null)).build();
        Environment env = environments.launch(catalog.resolve(spec), "carol");
        id = env.id();
        assertThat(env.expiresAt()).isNotNull();
        await().atMost(Duration.ofSeconds(60)).until(() -> environments.find(id).orElseThrow().state() == EnvironmentState.RUNNING);
        assertThat(docker("ps", "-q", "--filter", "label=io.genos.environment=" + id)).isNotBlank();

        await().atMost(Duration.ofSeconds(30)).until(() -> environments.find(id).orElseThrow().state() == EnvironmentState.DESTROYED);
        assertThat(environments.history(id)).anyMatch(e -> (e.actor() + " " + e.reason()).contains("lifetime"));
        assertThat(docker("ps", "-aq", "--filter", "label=io.genos.environment=" + id)).isBlank();
    }

}
