package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.genos.orchestrator.docker.DockerRuntime;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Resolution;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The image cache against the real dockerd: a composed layer is listed with its size and the environment that runs
 * from it; removal and eviction leave it while it is used or pinned; past the grace time and over the budget an
 * unused, unpinned layer is evicted (the control: the same layer, pinned, stays).
 */
class ImageCacheIT {
    /** A package no other test asks for: this test owns its layer. */
    private static final String PACKAGE = "cowsay";
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

    private static boolean layerExists() {
        return docker.listImagesCmd().exec().stream().anyMatch(i -> i.getLabels() != null
                && PACKAGE.equals(i.getLabels().get("io.genos.layer.packages")));
    }

    /** The runtime as a cache sees it, limited to the layers holding exactly these packages. */
    private static EnvironmentRuntime onlyLayersOf(DockerRuntime runtime, String packages) {
        return (EnvironmentRuntime) java.lang.reflect.Proxy.newProxyInstance(ImageCacheIT.class.getClassLoader(),
                new Class<?>[] {EnvironmentRuntime.class}, (proxy, method, args) -> {
                    if (method.getName().equals("cachedImages")) {
                        return runtime.cachedImages().stream().filter(c -> c.contents().equals(packages)).toList();
                    }
                    try {
                        return method.invoke(runtime, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aLayerInUseOrPinnedStaysAndAnUnusedOneGoesOverTheBudget() throws Exception {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off")
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            ImageCache cache = ctx.getBean(ImageCache.class);
            Resolution r = Catalog.builtIn().resolve(EnvironmentSpec.builder().name("cow").os(Os.linux("debian", "12"))
                    .desktop(Desktop.NONE).resources(new Resources(1, 256, null, null)).packages(List.of(PACKAGE))
                    .build());
            Environment e = environments.launch(r, owner);
            await().atMost(Duration.ofMinutes(3)).until(() -> environments.find(e.id()).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            assertThat(environments.find(e.id()).orElseThrow().state()).isEqualTo(EnvironmentState.RUNNING);

            ImageCache.Entry entry = cache.list().stream().filter(x -> x.image().contents().equals(PACKAGE))
                    .findFirst().orElseThrow();
            assertThat(entry.image().layer()).isEqualTo("packages");
            assertThat(entry.image().uniqueBytes()).as("the layer's own size").isPositive()
                    .isLessThan(200L * 1024 * 1024);
            assertThat(entry.usedByNames()).containsExactly("cow");
            String ref = entry.image().ref();
            assertThatThrownBy(() -> cache.remove(ref)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("in use by 1 environment");

            // an hour later, with no room at all: still in use, so it stays. This cache sees only this test's layer,
            // so that the test never evicts what other tests or users on this host have built.
            EnvironmentRuntime onlyMine = onlyLayersOf(ctx.getBean(DockerRuntime.class), PACKAGE);
            ImageCache later = new ImageCache(List.of(onlyMine), ctx.getBean(DataSource.class),
                    ctx.getBean(EnvironmentStore.class), 0, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
            assertThat(later.evict()).noneMatch(x -> x.startsWith(ref));
            assertThat(layerExists()).isTrue();

            environments.destroy(e.id(), owner);
            cache.pin(ref, true);
            assertThat(later.evict()).as("pinned").noneMatch(x -> x.startsWith(ref));
            assertThat(layerExists()).isTrue();
            // within the grace time nothing goes, whatever the budget
            assertThat(new ImageCache(List.of(onlyMine), ctx.getBean(DataSource.class),
                    ctx.getBean(EnvironmentStore.class), 0, Clock.systemUTC()).evict()).noneMatch(x -> x.startsWith(ref));

            cache.pin(ref, false);
            assertThat(later.evict()).anyMatch(x -> x.startsWith(ref + " (" + PACKAGE));
            assertThat(layerExists()).as("evicted from Docker").isFalse();
            assertThat(cache.list()).noneMatch(x -> x.image().ref().equals(ref));
        }
    }
}
