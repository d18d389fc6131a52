package io.genos.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.genos.orchestrator.AptRepositories;
import io.genos.orchestrator.AptRepository;
import io.genos.orchestrator.BuildListener;
import io.genos.orchestrator.BuildProgress;
import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.PackageNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes container images on demand: a desktop layer and a package layer on a catalog image. Each layer is an image
 * tagged {@code genos-composed:<hash>}, the hash being that of its parent image's id and its recipe, so it is built
 * once and reused by every later launch that needs it, whoever asks; two launches that need the same missing layer
 * wait on one build.
 *
 * <p>A layer is built in a container from its parent, run as root with the recipe (apt-get with
 * {@code APT::Status-Fd} for progress), committed, and given the parent's user, entrypoint and command back (or the
 * desktop's) by a build with metadata only. A recipe that fails leaves nothing behind: its container is removed and no
 * image was made.
 */
final class ImageComposer {
    private static final Logger log = LoggerFactory.getLogger(ImageComposer.class);

    static final String REPOSITORY = "genos-composed";
    static final String LABEL_LAYER = "io.genos.layer";
    static final String LABEL_LAYER_DESKTOP = "io.genos.layer.desktop";
    static final String LABEL_LAYER_PACKAGES = "io.genos.layer.packages";
    static final String LABEL_LAYER_PARENT = "io.genos.layer.parent";
    static final String LABEL_LAYER_BUILT_AT = "io.genos.layer.built-at";
    /** Marks the containers that build layers (reconcile and tests find leftovers by it). */
    static final String LABEL_LAYER_BUILD = "io.genos.layer-build";
    /** Changes whenever the way layers are built changes, so old layers are not taken for new ones. */
    private static final String RECIPE_VERSION = "genos-layer-1";
    private static final String DESKTOP_USER = "user";
    private static final String DESKTOP_GEOMETRY = "1280x800";
    /** What GenOS's terminal needs in an image that was not built for it (a registry image). */
    private static final List<String> SESSION_PACKAGES = List.of("bash", "ca-certificates", "procps", "sudo", "tmux");
    /**
     * The user GenOS's session runs as (uid 1000 unless an image's own user has it, as Ubuntu's "ubuntu" does), with
     * sudo, and tmux's settings; what the terminal-only catalog image has.
     */
    private static final String SESSION_SCRIPT = addUser()
            + "printf 'set -g history-limit 10000\\nset -g mouse off\\nset -g default-terminal \"tmux-256color\"\\n' "
            + "> /etc/tmux.conf";

    /** One layer to build: its recipe and what its image must say. */
    record Layer(String name, String kind, List<String> packages, String extraScript, Metadata metadata,
            Map<String, String> labels, List<AptRepository> repositories) {
        Layer(String name, String kind, List<String> packages, String extraScript, Metadata metadata,
                Map<String, String> labels) {
            this(name, kind, packages, extraScript, metadata, labels, List.of());
        }

        /** What the layer's tag hashes: extra repositories count only when there are any (older layers stay valid). */
        String recipe() {
            String setup = AptRepositories.setupScript(repositories);
            return RECIPE_VERSION + "\n" + kind + "\n" + String.join(" ", packages) + "\n" + extraScript + "\n"
                    + metadata + (setup.isEmpty() ? "" : "\n" + setup);
        }
    }

    /** The image configuration a layer's image ends with (null: the parent's). */
    record Metadata(String user, List<String> entrypoint, List<String> cmd, List<String> env, Integer exposedPort,
            String workingDir) {}

    private record Build(CompletableFuture<String> image, List<BuildListener> listeners, StringBuilder logHolder) {}

    private final DockerClient docker;
    private final Duration timeout;
    private final AptRepositories repositories;
    private final Map<String, Build> building = new ConcurrentHashMap<>();
    private final String sessionScript;

    ImageComposer(DockerClient docker, Duration timeout, AptRepositories repositories) {
        this.docker = docker;
        this.timeout = timeout;
        this.repositories = repositories;
        this.sessionScript = resource("genos-session");
    }

    /** The image reference of the composed image: the last layer's, built where missing. */
    String compose(String startReference, Composition composition, BuildListener listener) {
        String parent = imageId(startReference);
        List<Layer> layers = layers(composition);
        for (int i = 0; i < layers.size(); i++) {
            parent = layer(parent, layers.get(i), i + 1, layers.size(), listener);
        }
        return parent;
    }

    /** The layers of a composition that are not built yet, by name. */
    List<String> missing(String startReference, Composition composition) {
        String parent;
        try {
            parent = imageId(startReference);
        } catch (RuntimeFailureException e) {
            return composition.layerNames();
        }
        List<String> missing = new ArrayList<>();
        for (Layer layer : layers(composition)) {
            String tag = tag(parent, layer);
            if (!missing.isEmpty()) {
                missing.add(layer.name());
                continue;
            }
            try {
                parent = docker.inspectImageCmd(tag).exec().getId();
            } catch (NotFoundException e) {
                missing.add(layer.name());
            }
        }
        return missing;
    }

    List<Layer> layers(Composition c) {
        List<Layer> layers = new ArrayList<>();
        if (c.session()) {
            layers.add(new Layer(Composition.SESSION_LAYER, "session", SESSION_PACKAGES, SESSION_SCRIPT,
                    new Metadata(DESKTOP_USER, List.of("sleep", "infinity"), List.of(),
                            List.of("SHELL=/bin/bash", "LANG=C.UTF-8"), null, "/home/" + DESKTOP_USER),
                    Map.of(LABEL_LAYER, "session")));
        }
        if (c.desktop() != null) {
            String desktop = c.desktop().json();
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL_LAYER, "desktop");
            labels.put(LABEL_LAYER_DESKTOP, desktop);
            layers.add(new Layer("the " + desktop.toUpperCase(Locale.ROOT) + " desktop", "desktop " + desktop,
                    c.desktopLayer().packages(), desktopScript(c.desktopLayer().session()),
                    new Metadata(DESKTOP_USER, List.of("/usr/local/bin/genos-session"), List.of(),
                            List.of("DISPLAY=:1", "GENOS_GEOMETRY=" + DESKTOP_GEOMETRY), 5901, "/home/" + DESKTOP_USER),
                    labels));
        }
        if (!c.packages().isEmpty()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL_LAYER, "packages");
            labels.put(LABEL_LAYER_PACKAGES, String.join(" ", c.packages()));
            layers.add(new Layer(c.layerNames().getLast(), "packages", c.packages(), "", null, labels,
                    repositories.forOs(c.start().os())));
        }
        return layers;
    }

    static String tag(String parentId, Layer layer) {
        return REPOSITORY + ":" + hash(parentId + "\n" + layer.recipe());
    }

    private String layer(String parentId, Layer layer, int number, int count, BuildListener listener) {
        String tag = tag(parentId, layer);
        try {
            String id = docker.inspectImageCmd(tag).exec().getId();
            listener.layerReady(layer.name(), tag, true, "");
            return id;
        } catch (NotFoundException e) {
            // build it below (or wait for the launch that builds it)
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        Build build = new Build(mine, new CopyOnWriteArrayList<>(List.of(listener)), new StringBuilder());
        Build existing = building.putIfAbsent(tag, build);
        if (existing != null) {
            existing.listeners().add(listener);
            listener.progress(new BuildProgress(number, count, layer.name(), "being built by another launch", 0, 0,
                    -1, Duration.ZERO));
            try {
                String id = await(existing.image(), layer);
                listener.layerReady(layer.name(), tag, false, logOf(existing));
                return id;
            } catch (RuntimeException e) {
                listener.layerFailed(layer.name(), logOf(existing));
                throw e;
            }
        }
        AptProgress apt = new AptProgress(number, count, layer.name());
        try {
            String id = build(parentId, layer, tag, apt, build.listeners());
            synchronized (build.logHolder()) {
                build.logHolder().append(apt.log());
            }
            log.info("built {} ({}) in {} s", tag, layer.name(), apt.elapsed().toSeconds());
            mine.complete(id);
            listener.layerReady(layer.name(), tag, false, apt.log());
            return id;
        } catch (RuntimeException e) {
            synchronized (build.logHolder()) {
                build.logHolder().append(apt.log());
            }
            log.info("building {} ({}) failed after {} s: {}", tag, layer.name(), apt.elapsed().toSeconds(),
                    e.getMessage());
            mine.completeExceptionally(e);
            listener.layerFailed(layer.name(), apt.log());
            throw e;
        } finally {
            building.remove(tag, build);
        }
    }

    private static String logOf(Build build) {
        synchronized (build.logHolder()) {
            return build.logHolder().toString();
        }
    }

    private String await(CompletableFuture<String> image, Layer layer) {
        try {
            return image.get(timeout.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeFailureException f ? f
                    : new RuntimeFailureException("building " + layer.name() + " failed: " + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RuntimeFailureException("building " + layer.name() + " took longer than " + timeout.toMinutes()
                    + " minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("GenOS stopped while " + layer.name() + " was being built");
        }
    }

    private String build(String parentId, Layer layer, String tag, AptProgress apt, List<BuildListener> listeners) {
        for (String p : layer.packages()) {
            if (!PackageNames.valid(p)) {
                throw new RuntimeFailureException("\"" + p + "\" is not a Debian package name");
            }
        }
        InspectImageResponse parent = docker.inspectImageCmd(parentId).exec();
        String script = script(layer);
        String container = null;
        String committed = null;
        try {
            container = docker.createContainerCmd(parentId)
                    .withName("genos-layer-" + tag.substring(tag.indexOf(':') + 1, tag.indexOf(':') + 13) + "-"
                            + Long.toString(System.nanoTime() & 0xffffff, 36))
                    .withUser("root")
                    .withEntrypoint("/bin/sh", "-c", script)
                    .withCmd(List.of())
                    .withLabels(Map.of(EnvironmentRuntime.LABEL_PRODUCT, EnvironmentRuntime.PRODUCT, LABEL_LAYER_BUILD,
                            tag))
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("bridge").withInit(true)
                            .withBinds(layer.repositories().stream().filter(AptRepository::isFile)
                                    .map(r -> new Bind(r.directory().toString(), new Volume(r.directory().toString()),
                                            AccessMode.ro))
                                    .toList()))
                    .exec().getId();
            docker.startContainerCmd(container).exec();
            follow(container, apt, listeners);
            Integer code = docker.waitContainerCmd(container).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(30, TimeUnit.SECONDS);
            if (code == null || code != 0) {
                throw new RuntimeFailureException("building " + layer.name() + " failed: " + apt.reason());
            }
            apt.phase("saving");
            notify(listeners, apt.progress());
            committed = docker.commitCmd(container).withRepository(REPOSITORY + "-tmp").withTag(tag.substring(
                    tag.indexOf(':') + 1)).exec();
            return finish(committed, parent.getConfig(), layer, tag, parentId);
        } catch (DockerException e) {
            throw new RuntimeFailureException("building " + layer.name() + " failed: Docker refused: "
                    + firstLine(e.getMessage()));
        } finally {
            if (container != null) {
                try {
                    docker.removeContainerCmd(container).withForce(true).exec();
                } catch (RuntimeException e) {
                    log.warn("could not remove the layer build container {}: {}", container, e.toString());
                }
            }
            if (committed != null) {
                try {
                    docker.removeImageCmd(REPOSITORY + "-tmp:" + tag.substring(tag.indexOf(':') + 1)).withForce(false)
                            .exec();
                } catch (RuntimeException e) {
                    log.debug("temporary layer tag: {}", e.toString());
                }
            }
        }
    }

    /** Follows the build container's output until it ends (or the build takes too long). */
    private void follow(String container, AptProgress apt, List<BuildListener> listeners) {
        StringBuilder partial = new StringBuilder();
        long[] lastNotice = {0};
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                synchronized (partial) {
                    for (int i = 0; i < text.length(); i++) {
                        char c = text.charAt(i);
                        if (c == '\n' || c == '\r') {
                            if (!partial.isEmpty()) {
                                boolean changed = apt.line(partial.toString());
                                partial.setLength(0);
                                long now = System.nanoTime();
                                if (changed && now - lastNotice[0] > 250_000_000L) {
                                    lastNotice[0] = now;
                                    ImageComposer.notify(listeners, apt.progress());
                                }
                            }
                        } else if (partial.length() < AptProgress.MAX_LINE + 1) {
                            partial.append(c);
                        }
                    }
                }
            }
        };
        docker.logContainerCmd(container).withStdOut(true).withStdErr(true).withFollowStream(true).exec(callback);
        try {
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RuntimeFailureException("building the layer took longer than " + timeout.toMinutes()
                        + " minutes (genos.orchestrator.build-timeout); its last output: " + apt.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("GenOS stopped while a layer was being built");
        } finally {
            try {
                callback.close();
            } catch (IOException e) {
                log.debug("closing the build log: {}", e.toString());
            }
        }
        synchronized (partial) {
            if (!partial.isEmpty()) {
                apt.line(partial.toString());
            }
        }
        notify(listeners, apt.progress());
    }

    private static void notify(List<BuildListener> listeners, BuildProgress progress) {
        for (BuildListener l : listeners) {
            try {
                l.progress(progress);
            } catch (RuntimeException e) {
                log.warn("a build progress listener failed: {}", e.toString());
            }
        }
    }

    /** Gives the committed image its user, entrypoint, command and labels back with a build of metadata only. */
    private String finish(String committed, ContainerConfig parent, Layer layer, String tag, String parentId) {
        Metadata m = layer.metadata();
        String user = m != null ? m.user() : parent.getUser() == null || parent.getUser().isEmpty() ? "root" : parent.getUser();
        List<String> entrypoint = m != null ? m.entrypoint()
                : parent.getEntrypoint() == null ? List.of() : List.of(parent.getEntrypoint());
        List<String> cmd = m != null ? m.cmd() : parent.getCmd() == null ? List.of() : List.of(parent.getCmd());
        StringBuilder df = new StringBuilder("FROM ").append(committed).append('\n');
        df.append("USER ").append(user).append('\n');
        df.append("ENTRYPOINT ").append(json(entrypoint)).append('\n');
        if (!cmd.isEmpty()) {
            df.append("CMD ").append(json(cmd)).append('\n');
        }
        String workingDir = m != null && m.workingDir() != null ? m.workingDir() : parent.getWorkingDir();
        if (workingDir != null && !workingDir.isEmpty()) {
            df.append("WORKDIR ").append(workingDir).append('\n');
        }
        if (m != null) {
            for (String e : m.env()) {
                int eq = e.indexOf('=');
                df.append("ENV ").append(e, 0, eq).append('=').append(e.substring(eq + 1)).append('\n');
            }
            if (m.exposedPort() != null) {
                df.append("EXPOSE ").append(m.exposedPort()).append('\n');
            }
        }
        Map<String, String> labels = new LinkedHashMap<>(layer.labels());
        labels.put(EnvironmentRuntime.LABEL_PRODUCT, EnvironmentRuntime.PRODUCT);
        labels.put(LABEL_LAYER_PARENT, parentId);
        labels.put(LABEL_LAYER_BUILT_AT, Instant.now().toString());
        Path dir = null;
        try {
            dir = Files.createTempDirectory("genos-layer");
            Path dockerfile = dir.resolve("Dockerfile");
            Files.writeString(dockerfile, df);
            docker.buildImageCmd().withDockerfile(dockerfile.toFile()).withBaseDirectory(dir.toFile())
                    .withTags(Set.of(tag)).withLabels(labels).withPull(false).withRemove(true).withForcerm(true)
                    .exec(new BuildImageResultCallback()).awaitImageId(2, TimeUnit.MINUTES);
            // the build answers a short id; the next layer's hash takes the full one, as a lookup in the cache does
            return docker.inspectImageCmd(tag).exec().getId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    log.debug("temporary build folder {}: {}", dir, e.toString());
                }
            }
        }
    }

    private static String json(List<String> items) {
        return items.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The shell script a layer's build container runs as root. */
    static String script(Layer layer) {
        return """
                set -e
                export DEBIAN_FRONTEND=noninteractive
                %s
                echo "genos: reading the package lists"
                apt-get update -q
                echo "genos: resolving %d package(s)"
                apt-get install -y -q --no-install-recommends -o APT::Status-Fd=3 -o Dpkg::Use-Pty=0 %s 3>&1
                %s
                apt-get clean
                rm -rf /var/lib/apt/lists/*
                echo "genos: layer done"
                """.formatted(AptRepositories.setupScript(layer.repositories()), layer.packages().size(),
                String.join(" ", layer.packages()), layer.extraScript());
    }

    /** What a desktop layer adds besides packages: the display start-up script, the session, the user with sudo. */
    private String desktopScript(List<String> session) {
        String marker = "GENOS_" + hash(sessionScript + session).substring(0, 12).toUpperCase(Locale.ROOT);
        return "mkdir -p /etc/genos /etc/sudoers.d\n"
                + "cat > /usr/local/bin/genos-session <<'" + marker + "'\n" + sessionScript.strip() + "\n" + marker + "\n"
                + "cat > /etc/genos/session <<'" + marker + "'\n#!/bin/sh\n" + String.join("\n", session) + "\n"
                + marker + "\n"
                + "chmod 755 /usr/local/bin/genos-session /etc/genos/session\n"
                + "id -u " + DESKTOP_USER + " >/dev/null 2>&1 || useradd -m -u 1000 -s /bin/bash " + DESKTOP_USER + "\n"
                + "usermod -aG sudo " + DESKTOP_USER + "\n"
                + "echo '" + DESKTOP_USER + " ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/" + DESKTOP_USER + "\n"
                + "chmod 440 /etc/sudoers.d/" + DESKTOP_USER;
    }

    /**
     * Adds the session's user where it is missing (uid 1000 when free), with sudo without a password. (The desktop
     * layer's own lines, unchanged so that its cached layers stay valid, find the user there on a registry image.)
     */
    private static String addUser() {
        return "if ! id -u " + DESKTOP_USER + " >/dev/null 2>&1; then\n"
                + "  if getent passwd 1000 >/dev/null; then useradd -m -s /bin/bash " + DESKTOP_USER + "; "
                + "else useradd -m -u 1000 -s /bin/bash " + DESKTOP_USER + "; fi\n"
                + "fi\n"
                + "mkdir -p /etc/sudoers.d\n"
                + "if getent group sudo >/dev/null; then usermod -aG sudo " + DESKTOP_USER + "; fi\n"
                + "echo '" + DESKTOP_USER + " ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/" + DESKTOP_USER + "\n"
                + "chmod 440 /etc/sudoers.d/" + DESKTOP_USER + "\n";
    }

    private String imageId(String reference) {
        try {
            return docker.inspectImageCmd(reference).exec().getId();
        } catch (NotFoundException e) {
            throw new RuntimeFailureException(notBuilt(reference));
        }
    }

    /** Why a GenOS image is missing and what makes it. */
    static String notBuilt(String reference) {
        return "the image " + reference + " is not on this Docker host: GenOS builds its own images with ./genos images "
                + "(they are not pulled from a registry)";
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String resource(String name) {
        try (InputStream in = ImageComposer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
