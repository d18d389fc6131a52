package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Frame;
import io.genos.orchestrator.docker.DockerRuntime;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Resolution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An extra apt repository an admin configured, against the real dockerd and apt: a repository on this host (a .deb
 * built here with dpkg-deb, its Packages and Release written here) holds software Debian does not ship. Without the
 * repository configured, the name is refused before anything is built (the positive control); with it, the name passes
 * the check, the package layer installs it from the repository (mounted read-only into the build) and the environment
 * runs it.
 */
class AptRepositoryIT {
    private static final Catalog CATALOG = Catalog.builtIn();
    private static DockerClient docker;
    private final String owner = "it-" + UUID.randomUUID();
    private final String name = "genos-hello-" + UUID.randomUUID().toString().substring(0, 6);

    @TempDir
    Path home;

    @TempDir
    Path work;

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
        // this test's own layer, found by its label and tag (never by a daemon-side filter alone)
        docker.listImagesCmd().exec().stream()
                .filter(i -> i.getLabels() != null && name.equals(i.getLabels().get("io.genos.layer.packages"))
                        && i.getRepoTags() != null && i.getRepoTags().length > 0
                        && i.getRepoTags()[0].startsWith("genos-composed:"))
                .forEach(i -> docker.removeImageCmd(i.getId()).exec());
    }

    private ConfigurableApplicationContext context(String... more) {
        List<String> properties = new java.util.ArrayList<>(List.of(
                "spring.datasource.url=jdbc:h2:file:" + home.resolve("db/genos"), "spring.main.banner-mode=off",
                "genos.orchestrator.display-timeout=30s"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(OrchestratorTestApplication.class)
                .properties(properties.toArray(String[]::new)).run();
    }

    private Resolution terminalWith(String packageName) {
        return CATALOG.resolve(EnvironmentSpec.builder().name("extra-repo").os(Os.linux("debian", "12"))
                .desktop(Desktop.NONE).resources(new Resources(1, 512, null, null)).packages(List.of(packageName))
                .build());
    }

    /** A flat repository with one package whose program prints a marker. */
    private Path repository(String marker) throws Exception {
        Path repo = work.resolve("repo");
        Path root = work.resolve("pkg");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(repo);
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: 1.0\nArchitecture: all\n"
                + "Maintainer: GenOS tests <tests@genos.invalid>\nInstalled-Size: 4\nDescription: prints a marker\n");
        Path program = root.resolve("usr/bin/" + name);
        Files.writeString(program, "#!/bin/sh\necho " + marker + "\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deb = repo.resolve(name + "_1.0_all.deb");
        run("dpkg-deb", "--root-owner-group", "--build", root.toString(), deb.toString());
        byte[] bytes = Files.readAllBytes(deb);
        String stanza = Files.readString(root.resolve("DEBIAN/control")) + "Filename: ./" + deb.getFileName() + "\n"
                + "Size: " + bytes.length + "\nSHA256: " + sha256(bytes) + "\n\n";
        Files.writeString(repo.resolve("Packages"), stanza);
        byte[] packages = stanza.getBytes(StandardCharsets.UTF_8);
        Files.writeString(repo.resolve("Release"), "Origin: genos-tests\nLabel: genos-tests\nDate: "
                + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(
                        java.time.ZoneOffset.UTC)) + "\nSHA256:\n " + sha256(packages) + " " + packages.length
                + " Packages\n");
        return repo;
    }

    @Test
    void softwareDebianDoesNotShipComesFromTheAdminsRepositoryAndIsRefusedWithoutIt() throws Exception {
        String marker = "EXTRA-REPO-" + UUID.randomUUID().toString().substring(0, 6);
        Path repo = repository(marker);
        Resolution resolution = terminalWith(name);
        assertThat(resolution.composition().packages()).containsExactly(name);

        // the positive control: without the repository, Debian's index does not know the name
        try (ConfigurableApplicationContext ctx = context()) {
            Environments environments = ctx.getBean(Environments.class);
            int images = docker.listImagesCmd().withShowAll(true).exec().size();
            assertThatThrownBy(() -> environments.preflight(resolution)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("unknown package for Debian 12: " + name);
            assertThatThrownBy(() -> environments.launch(resolution, owner)).isInstanceOf(InvalidRequestException.class);
            assertThat(docker.listImagesCmd().withShowAll(true).exec()).as("nothing built").hasSize(images);
        }

        try (ConfigurableApplicationContext ctx = context(
                "genos.orchestrator.apt-repositories[0].name=local",
                "genos.orchestrator.apt-repositories[0].os=debian-12",
                "genos.orchestrator.apt-repositories[0].url=file:" + repo,
                "genos.orchestrator.apt-repositories[0].suite=./",
                "genos.orchestrator.apt-repositories[0].trusted=true")) {
            Environments environments = ctx.getBean(Environments.class);
            Environments.Preflight preflight = environments.preflight(resolution);
            assertThat(preflight.warnings()).noneMatch(w -> w.contains(name));
            assertThat(preflight.toBuild()).containsExactly("the package " + name);

            Environment launched = environments.launch(resolution, owner);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(
                    () -> environments.find(launched.id()).orElseThrow().state(),
                    s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
            Environment e = environments.find(launched.id()).orElseThrow();
            assertThat(e.state()).as(e.stateReason()).isEqualTo(EnvironmentState.RUNNING);
            assertThat(exec(e.runtimeRef(), name)).contains(marker);
            assertThat(environments.logs(e.id())).anyMatch(l -> l.body().contains("Setting up " + name + " (1.0)"));
            environments.destroy(e.id(), owner);
        }
    }

    private static String exec(String container, String... command) throws InterruptedException {
        String execId = docker.execCreateCmd(container).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder out = new StringBuilder();
        docker.execStartCmd(execId).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
