package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import io.genos.orchestrator.docker.DockerRuntime;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.Resolution;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Images composed on demand against the real dockerd, the catalog's genos/debian-shell:latest and the package index
 * that {@code vm-images/build} records: a package layer built once for two launches at once and reused; a desktop
 * layer whose display answers; apt's own reason for a failed build, with nothing left; unknown names refused before
 * anything is built.
 */
class ComposedImagesIT {
    private static final Catalog CATALOG = Catalog.builtIn();
    /** Packages no other test asks for, so that this test sees the layer built from nothing. */
    private static final List<String> PACKAGES = List.of("figlet", "tree");
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
                        "spring.main.banner-mode=off", "genos.orchestrator.display-timeout=30s")
                .run();
    }

    private static Resolution terminal(String name, List<String> packages) {
        return CATALOG.resolve(EnvironmentSpec.builder().name(name).os(Os.linux("debian", "12")).desktop(Desktop.NONE)
                .resources(new Resources(1, 512, null, null)).packages(packages).build());
    }

    /**
     * The composed package layers holding exactly these packages, checked here label by label and tag by tag (never
     * trusting a daemon-side filter with what a clean-up removes).
     */
    private static List<Image> layersWithPackages(String packages) {
        return docker.listImagesCmd().exec().stream()
                .filter(i -> i.getLabels() != null && packages.equals(i.getLabels().get("io.genos.layer.packages"))
                        && i.getRepoTags() != null && java.util.Arrays.stream(i.getRepoTags())
                                .anyMatch(t -> t.startsWith("genos-composed:")))
                .toList();
    }

    private static int allImages() {
        return docker.listImagesCmd().withShowAll(true).exec().size();
    }

    private static List<?> buildContainers() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of("io.genos.layer-build")).exec();
    }

    private static boolean settled(Environments environments, String id) {
        EnvironmentState s = environments.find(id).orElseThrow().state();
        return s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED;
    }

    private static Environment awaitSettled(Environments environments, String id, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(
                () -> environments.find(id).orElseThrow().state(),
                s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
        return environments.find(id).orElseThrow();
    }

    @Test
    void twoLaunchesNeedingTheSameLayerWaitOnOneBuildAndLaterLaunchesReuseIt() throws Exception {
        // an earlier run's layer goes (not forced: a layer something runs from or builds on stays, and the test says so)
        layersWithPackages(String.join(" ", PACKAGES)).forEach(i -> docker.removeImageCmd(i.getId()).exec());
        try (ConfigurableApplicationContext ctx = context()) {
            Environments environments = ctx.getBean(Environments.class);
            Resolution resolution = terminal("figlet", PACKAGES);
            assertThat(resolution.composition().packages()).containsExactlyElementsOf(PACKAGES);
            Environments.Preflight before = environments.preflight(resolution);
            assertThat(before.toBuild()).containsExactly("the packages figlet, tree");
            assertThat(before.warnings()).noneMatch(w -> w.contains("not installed"));

            Environment a = environments.launch(resolution, owner);
            Environment b = environments.launch(terminal("figlet2", PACKAGES), owner);
            List<String> progressSeen = Collections.synchronizedList(new ArrayList<>());
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                environments.find(a.id()).map(Environment::progressText).ifPresent(progressSeen::add);
                environments.find(b.id()).map(Environment::progressText).ifPresent(progressSeen::add);
                return settled(environments, a.id()) && settled(environments, b.id());
            });
            Environment ra = awaitSettled(environments, a.id(), Duration.ofSeconds(5));
            Environment rb = awaitSettled(environments, b.id(), Duration.ofSeconds(5));
            assertThat(ra.state()).as(ra.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(rb.state()).as(rb.stateReason()).isEqualTo(EnvironmentState.RUNNING);

            assertThat(layersWithPackages("figlet tree")).as("one layer image for both launches").hasSize(1);
            assertThat(progressSeen).anyMatch(t -> t.startsWith("building the packages figlet, tree"));
            assertThat(progressSeen).as("the second launch waited on the first one's build")
                    .anyMatch(t -> t.contains("being built by another launch"));
            for (Environment e : List.of(ra, rb)) {
                assertThat(environments.exec(e.id(), "sh", "-c", "command -v figlet && command -v tree && id -un")
                        .stdout()).contains("/usr/bin/figlet", "/usr/bin/tree", "user");
                assertThat(environments.history(e.id())).anyMatch(ev -> ev.reason() != null
                        && ev.reason().startsWith("the packages figlet, tree: built (genos-composed:"));
                assertThat(environments.logs(e.id())).anyMatch(l -> l.title().equals("build log of the packages figlet, tree")
                        && l.body().contains("Setting up figlet"));
            }
            assertThat(environments.preflight(resolution).toBuild()).as("cached now").isEmpty();

            Environment c = environments.launch(terminal("figlet3", PACKAGES), owner);
            Environment rc = awaitSettled(environments, c.id(), Duration.ofSeconds(60));
            assertThat(rc.state()).as(rc.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(environments.history(c.id())).anyMatch(ev -> ev.reason() != null
                    && ev.reason().startsWith("the packages figlet, tree: taken from the image cache"));
            assertThat(layersWithPackages("figlet tree")).hasSize(1);
            for (Environment e : List.of(ra, rb, rc)) {
                environments.destroy(e.id(), owner);
            }
        }
        assertThat(buildContainers()).isEmpty();
    }

    @Test
    void unknownPackageNamesAreRefusedWithSuggestionsBeforeAnythingIsBuilt() throws Exception {
        assertThat(Files.isRegularFile(OrchestratorProperties.defaults().packageIndexDir().resolve("debian-12.tsv")))
                .as("vm-images/build records the package index of debian 12").isTrue();
        int images = allImages();
        try (ConfigurableApplicationContext ctx = context()) {
            Environments environments = ctx.getBean(Environments.class);
            Resolution resolution = terminal("typo", List.of("htop", "gimpp", "pyhton3"));
            assertThatThrownBy(() -> environments.preflight(resolution)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("gimpp (did you mean gimp").hasMessageContaining("pyhton3 (did you mean python3")
                    .hasMessageNotContaining("htop");
            assertThatThrownBy(() -> environments.launch(resolution, owner)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("nothing was built");
            assertThat(environments.listByOwner(owner)).as("nothing stored").isEmpty();
        }
        assertThat(buildContainers()).isEmpty();
        assertThat(allImages()).as("no image made").isEqualTo(images);
    }

    @Test
    void aFailedBuildGivesAptsReasonInTheHistoryAndLeavesNothingBehind() throws Exception {
        // a name apt does not know, launched where no index can refuse it first: apt itself must say why
        Path noIndex = home.resolve("no-index");
        int images = allImages();
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties("spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"),
                        "spring.main.banner-mode=off", "genos.orchestrator.package-index-dir=" + noIndex)
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            Resolution resolution = terminal("broken", List.of("genos-no-such-package"));
            assertThat(environments.preflight(resolution).warnings())
                    .anyMatch(w -> w.contains("checked by apt when the layer is built"));
            Environment e = environments.launch(resolution, owner);
            Environment failed = awaitSettled(environments, e.id(), Duration.ofMinutes(3));
            assertThat(failed.state()).isEqualTo(EnvironmentState.FAILED);
            assertThat(failed.stateReason()).contains("building the package genos-no-such-package failed")
                    .contains("E: Unable to locate package genos-no-such-package");
            assertThat(environments.logs(e.id())).anyMatch(l -> l.title().endsWith("(failed)")
                    && l.body().contains("Unable to locate package"));
        }
        assertThat(buildContainers()).as("the build container is gone").isEmpty();
        assertThat(allImages()).as("no image, not even a dangling one").isEqualTo(images);
        assertThat(docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(EnvironmentRuntime.LABEL_OWNER, owner)).exec()).isEmpty();
    }

    @Test
    void aDesktopLayerOnTheShellImageStreamsOverVnc() throws Exception {
        CatalogImage shell = CATALOG.find("debian-shell").orElseThrow();
        Composition composition = new Composition(shell, Desktop.OPENBOX, CATALOG.desktopLayers().get(Desktop.OPENBOX),
                List.of("sl"));
        CatalogImage composed = new CatalogImage("debian-openbox-composed", Kind.CONTAINER, shell.os(), Desktop.OPENBOX,
                List.of(io.genos.spec.Streaming.Protocol.VNC), new Resources(1, 1024, 5, null), List.of("openbox"),
                shell.reference(), 5901, "test: openbox composed on debian-shell");
        EnvironmentSpec spec = EnvironmentSpec.builder().name("composed-desk").kind(Kind.CONTAINER)
                .os(Os.linux("debian", "12")).desktop(Desktop.OPENBOX).resources(new Resources(1, 1024, 5, null))
                .build();
        try (ConfigurableApplicationContext ctx = context()) {
            Environments environments = ctx.getBean(Environments.class);
            Environment e = environments.launch(new Resolution(spec, composed, List.of(), composition), owner);
            Environment running = awaitSettled(environments, e.id(), Duration.ofMinutes(5));
            assertThat(running.state()).as(running.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            var display = environments.display(e.id()).orElseThrow();
            assertThat(Vnc.authenticate(new InetSocketAddress(display.host(), display.port()), display.password()))
                    .as("VNC authentication with the environment's password").isZero();
            assertThat(environments.exec(e.id(), "sh", "-c", "id -un; command -v openbox; sudo -n true && echo sudo-ok")
                    .stdout()).contains("user", "/usr/bin/openbox", "sudo-ok");
            assertThat(environments.exec(e.id(), "sh", "-c", "test -x /usr/games/sl && echo sl-ok").stdout())
                    .contains("sl-ok");
            Resolution again = new Resolution(spec, composed, List.of(), composition);
            assertThat(environments.preflight(again).toBuild()).as("both layers are found in the cache by their hashes")
                    .isEmpty();
            environments.destroy(e.id(), owner);
        }
    }
}
