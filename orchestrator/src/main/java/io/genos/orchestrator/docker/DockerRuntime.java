package io.genos.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.genos.orchestrator.BuildListener;
import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.ExecResult;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.OrchestratorProperties;
import io.genos.orchestrator.PackageCheck;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.RuntimeStatus;
import io.genos.orchestrator.Snapshot;
import io.genos.orchestrator.SnapshotNotFoundException;
import io.genos.orchestrator.Terminal;
import io.genos.orchestrator.TerminalOutput;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.PackageIndexes;
import io.genos.spec.catalog.Resolution;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs container environments on a Docker host.
 *
 * <p>Network: egress {@code open} (or unset) uses the default bridge and publishes the display and the spec's
 * ports on 127.0.0.1 with random host ports. Egress {@code none} creates a per-environment bridge network with
 * {@code internal=true} (Docker drops its traffic to anywhere but the bridge itself, and no port can be
 * published); the display is reached at the container's address on that bridge, which only this host can route to.
 * Egress {@code allowlist} is not enforced for containers yet and fails closed: it is treated as {@code none}, and
 * {@link #check} says so in a warning. Caveat of {@code none}: the host's own address on that bridge (the gateway)
 * is reachable from inside, so a host service listening on all interfaces is reachable from the environment.
 *
 * <p>Snapshots are images: {@link #snapshot} commits the container into {@code genos-snapshot/<id>:<name>},
 * {@link #revert} replaces the container by one created from it, {@link #createFromSnapshot} gives a new environment
 * its own {@code genos-base/<new-id>:latest} built {@code FROM} it, and {@link #destroy} removes the environment's
 * images with its container. Every image carries the GenOS labels, so a sweep by label finds them.
 */
public class DockerRuntime implements EnvironmentRuntime, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
    static final String LABEL_DISPLAY_PORT = "io.genos.display-port";
    static final String LABEL_EGRESS = "io.genos.egress";
    static final String LABEL_PORTS = "io.genos.ports";
    private static final String LOOPBACK = "127.0.0.1";
    static final String BRIDGE_PREFIX = "gn-";
    /** Snapshot images are {@code genos-snapshot/<environment-id>:<snapshot-name>}. */
    static final String SNAPSHOT_REPOSITORY = "genos-snapshot/";
    /** The image an environment runs from when it is not the catalog's: {@code genos-base/<environment-id>:latest}. */
    static final String BASE_REPOSITORY = "genos-base/";
    static final String LABEL_SNAPSHOT = "io.genos.snapshot";
    static final String LABEL_SNAPSHOT_CREATED = "io.genos.snapshot.created-at";
    static final String LABEL_SNAPSHOT_DESCRIPTION = "io.genos.snapshot.description";
    static final String LABEL_RESTORED_FROM = "io.genos.restored-from";

    private final DockerClient docker;
    private final OrchestratorProperties properties;
    private final boolean ownsClient;
    private final ImageComposer composer;
    private final PackageCheck packages;
    private final LayerCache layers;

    /** A runtime over a client the caller keeps (and closes). */
    public DockerRuntime(DockerClient docker, OrchestratorProperties properties) {
        this(docker, properties, false);
    }

    private DockerRuntime(DockerClient docker, OrchestratorProperties properties, boolean ownsClient) {
        this.docker = docker;
        this.properties = properties;
        this.ownsClient = ownsClient;
        this.composer = new ImageComposer(docker, properties.buildTimeout());
        this.packages = new PackageCheck(new PackageIndexes(properties.packageIndexDir()));
        this.layers = new LayerCache(docker, properties.buildTimeout());
    }

    /** A runtime with its own client for these settings; {@link #close()} closes it. Connects lazily. */
    public static DockerRuntime connect(OrchestratorProperties properties) {
        return new DockerRuntime(client(properties), properties, true);
    }

    @Override
    public void close() {
        if (ownsClient) {
            try {
                docker.close();
            } catch (java.io.IOException e) {
                log.debug("closing the Docker client: {}", e.toString());
            }
        }
    }

    /** A Docker client for these settings (the caller closes it). */
    public static DockerClient client(OrchestratorProperties properties) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(properties.dockerHost())
                .withApiVersion(properties.dockerApiVersion())
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(50)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(2))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    @Override
    public boolean supports(Kind kind) {
        return kind == Kind.CONTAINER;
    }

    @Override
    public List<String> check(Resolution resolution) {
        CatalogImage image = resolution.image();
        EnvironmentSpec spec = resolution.spec();
        if (image.kind() != Kind.CONTAINER) {
            throw new InvalidRequestException(image.id() + " is a " + image.kind().json() + ", not a container image");
        }
        if (image.reference() == null || image.reference().isBlank()) {
            throw new InvalidRequestException("the catalog image " + image.id() + " names no Docker image");
        }
        if (image.displayPort() < 0 || image.displayPort() > 65535) {
            throw new InvalidRequestException("the catalog image " + image.id() + " has no valid display port");
        }
        if (image.displayPort() == 0 && image.graphical()) {
            throw new InvalidRequestException("the catalog image " + image.id() + " has a desktop but no display port");
        }
        Resources r = resources(resolution);
        if (r.cpus() < 1) {
            throw new InvalidRequestException("an environment needs at least 1 CPU, the spec asks for " + r.cpus());
        }
        if (r.memoryMiB() < 64) {
            throw new InvalidRequestException("an environment needs at least 64 MiB of memory, the spec asks for "
                    + r.memoryMiB() + " MiB");
        }
        geometry(spec);
        for (int port : ports(spec)) {
            if (port < 1 || port > 65535) {
                throw new InvalidRequestException("port " + port + " is not between 1 and 65535");
            }
            if (image.displayPort() != 0 && port == image.displayPort()) {
                throw new InvalidRequestException("port " + port + " is the display's own port; it is reached through "
                        + "the display, not as a port");
            }
        }
        List<String> warnings = new ArrayList<>();
        if (egress(spec) == Egress.ALLOWLIST) {
            warnings.add("the egress allowlist is not enforced for containers yet: this environment gets no network "
                    + "access at all (as with egress none)");
        }
        if (r.gpusOrZero() > 0) {
            warnings.add("GPUs are not passed to containers yet: this environment has none");
        }
        if (resolution.composed()) {
            packages.check(resolution).ifPresent(warnings::add);
        } else {
            EnvironmentRuntime.missingPackages(resolution).ifPresent(warnings::add);
        }
        return warnings;
    }

    @Override
    public Resolution compose(Resolution resolution, BuildListener listener) {
        if (!resolution.composed()) {
            return resolution;
        }
        check(resolution);
        Composition c = resolution.composition();
        return resolution.withComposedImage(composer.compose(c.start().reference(), c, listener));
    }

    @Override
    public List<io.genos.orchestrator.CachedImage> cachedImages() {
        try {
            return layers.list();
        } catch (RuntimeException e) {
            throw unavailable("list the composed images", e);
        }
    }

    @Override
    public void removeCachedImage(String ref) {
        layers.remove(ref);
    }

    @Override
    public List<String> sweepBuildLeftovers() {
        return layers.sweep();
    }

    @Override
    public List<String> layersToBuild(Resolution resolution) {
        if (!resolution.composed()) {
            return List.of();
        }
        try {
            return composer.missing(resolution.composition().start().reference(), resolution.composition());
        } catch (RuntimeException e) {
            log.debug("could not tell which layers are built: {}", e.toString());
            return resolution.composition().layerNames();
        }
    }

    @Override
    public RuntimeHandle create(RuntimeRequest request) {
        Resolution resolution = request.resolution();
        check(resolution);
        CatalogImage image = resolution.image();
        EnvironmentSpec spec = resolution.spec();
        String id = request.environmentId();
        try {
            docker.inspectImageCmd(image.reference()).exec();
        } catch (NotFoundException e) {
            throw new RuntimeFailureException("the image " + image.reference() + " is not on this Docker host "
                    + "(nothing can be pulled here): build it with ./genos images");
        } catch (RuntimeException e) {
            throw unavailable("check the image " + image.reference(), e);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_PRODUCT, PRODUCT);
        labels.put(LABEL_ENVIRONMENT, id);
        labels.put(LABEL_OWNER, request.owner());
        labels.put(LABEL_IMAGE, image.id());
        Resources r = resources(resolution);
        boolean isolated = egress(spec) != Egress.OPEN;
        List<Integer> ports = ports(spec);
        Map<String, String> containerLabels = new LinkedHashMap<>(labels);
        containerLabels.put(LABEL_DISPLAY_PORT, Integer.toString(image.displayPort()));
        containerLabels.put(LABEL_EGRESS, isolated ? "none" : "open");
        containerLabels.put(LABEL_PORTS, ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
        request.labels().forEach(containerLabels::putIfAbsent);
        List<String> env = new ArrayList<>();
        env.add("GENOS_VNC_PASSWORD=" + request.displayPassword());
        env.add("GENOS_NAME=" + request.name());
        geometry(spec).ifPresent(g -> env.add("GENOS_GEOMETRY=" + g));
        List<ExposedPort> exposed = new ArrayList<>();
        if (image.displayPort() != 0) {
            exposed.add(ExposedPort.tcp(image.displayPort()));
        }
        ports.forEach(p -> exposed.add(ExposedPort.tcp(p)));
        HostConfig host = HostConfig.newHostConfig()
                .withNanoCPUs(r.cpus() * 1_000_000_000L)
                .withMemory(r.memoryMiB() * 1024L * 1024L)
                .withMemorySwap(r.memoryMiB() * 1024L * 1024L)
                .withPidsLimit(properties.pidsLimit())
                // a fresh /tmp on every start: Xvnc refuses to start again over its stale /tmp/.X1-lock
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,mode=1777"))
                .withInit(true);
        try {
            if (isolated) {
                String network = networkName(id);
                docker.createNetworkCmd().withName(network).withDriver("bridge").withInternal(true)
                        .withOptions(Map.of("com.docker.network.bridge.name", bridgeName(id)))
                        .withLabels(labels).exec();
                host.withNetworkMode(network);
            } else {
                host.withNetworkMode("bridge").withPortBindings(exposed.stream()
                        .map(p -> new PortBinding(Ports.Binding.bindIp(LOOPBACK), p)).toList());
            }
            String containerId = docker.createContainerCmd(image.reference())
                    .withName(containerName(id))
                    .withHostName(hostName(request.name()))
                    .withLabels(containerLabels)
                    .withEnv(env)
                    .withExposedPorts(exposed)
                    .withHostConfig(host)
                    .exec()
                    .getId();
            return new RuntimeHandle(id, containerId);
        } catch (RuntimeException e) {
            destroy(new RuntimeHandle(id, null));
            throw e instanceof DockerException de ? refused("create the container", de) : unavailable("create the container", e);
        }
    }

    @Override
    public void start(RuntimeHandle handle) {
        try {
            docker.startContainerCmd(ref(handle)).exec();
        } catch (NotModifiedException alreadyRunning) {
            // nothing to do
        } catch (DockerException e) {
            throw refused("start the container", e);
        } catch (RuntimeException e) {
            throw unavailable("start the container", e);
        }
    }

    @Override
    public void stop(RuntimeHandle handle) {
        try {
            docker.stopContainerCmd(ref(handle)).withTimeout((int) properties.stopTimeout().toSeconds()).exec();
        } catch (NotModifiedException alreadyStopped) {
            // nothing to do
        } catch (DockerException e) {
            throw refused("stop the container", e);
        } catch (RuntimeException e) {
            throw unavailable("stop the container", e);
        }
    }

    /** {@code docker restart}: SIGTERM, the stop timeout, then SIGKILL, and a start; the published port may change. */
    @Override
    public void reboot(RuntimeHandle handle) {
        try {
            docker.restartContainerCmd(ref(handle)).withTimeout((int) properties.stopTimeout().toSeconds()).exec();
        } catch (DockerException e) {
            throw refused("restart the container", e);
        } catch (RuntimeException e) {
            throw unavailable("restart the container", e);
        }
    }

    @Override
    public void destroy(RuntimeHandle handle) {
        try {
            List<String> containers = new ArrayList<>();
            if (handle.ref() != null) {
                containers.add(handle.ref());
            }
            docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(LABEL_PRODUCT, PRODUCT, LABEL_ENVIRONMENT, handle.environmentId()))
                    .exec().stream().map(Container::getId).filter(c -> !containers.contains(c)).forEach(containers::add);
            for (String c : containers) {
                try {
                    docker.removeContainerCmd(c).withForce(true).withRemoveVolumes(true).exec();
                } catch (NotFoundException gone) {
                    // already removed
                }
            }
            for (Network n : docker.listNetworksCmd()
                    .withFilter("label", List.of(LABEL_PRODUCT + "=" + PRODUCT, LABEL_ENVIRONMENT + "=" + handle.environmentId()))
                    .exec()) {
                try {
                    docker.removeNetworkCmd(n.getId()).exec();
                } catch (NotFoundException gone) {
                    // already removed
                }
            }
            removeImages(handle.environmentId());
        } catch (DockerException e) {
            throw refused("remove the environment", e);
        } catch (RuntimeException e) {
            throw unavailable("remove the environment", e);
        }
    }

    @Override
    public Optional<RuntimeStatus> inspect(RuntimeHandle handle) {
        if (handle.ref() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(status(docker.inspectContainerCmd(handle.ref()).exec()));
        } catch (NotFoundException gone) {
            return Optional.empty();
        } catch (DockerException e) {
            throw refused("inspect the container", e);
        } catch (RuntimeException e) {
            throw unavailable("inspect the container", e);
        }
    }

    @Override
    public List<RuntimeStatus> listByLabels(Map<String, String> labels) {
        Map<String, String> filter = new HashMap<>(labels);
        filter.put(LABEL_PRODUCT, PRODUCT);
        try {
            List<RuntimeStatus> result = new ArrayList<>();
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
                try {
                    result.add(status(docker.inspectContainerCmd(c.getId()).exec()));
                } catch (NotFoundException gone) {
                    // removed meanwhile
                }
            }
            return result;
        } catch (DockerException e) {
            throw refused("list containers", e);
        } catch (RuntimeException e) {
            throw unavailable("list containers", e);
        }
    }

    @Override
    public ExecResult exec(RuntimeHandle handle, String... command) {
        try {
            String execId = docker.execCreateCmd(ref(handle)).withCmd(command).withAttachStdout(true)
                    .withAttachStderr(true).exec().getId();
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    String s = new String(frame.getPayload(), StandardCharsets.UTF_8);
                    (frame.getStreamType() == StreamType.STDERR ? err : out).append(s);
                }
            }).awaitCompletion(5, TimeUnit.MINUTES);
            Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
            return new ExecResult(code == null ? -1 : code.intValue(), out.toString(), err.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("interrupted while running " + String.join(" ", command));
        } catch (DockerException e) {
            throw refused("run " + String.join(" ", command), e);
        } catch (RuntimeException e) {
            throw unavailable("run " + String.join(" ", command), e);
        }
    }

    @Override
    public String logTail(RuntimeHandle handle, int lines) {
        if (handle.ref() == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        try {
            docker.logContainerCmd(handle.ref()).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("no logs for {}: {}", handle, e.toString());
        }
        return out.toString();
    }

    /** A TTY running {@code tmux new-session -A -s genos} in the container (the image needs tmux). */
    @Override
    public Terminal attachTerminal(RuntimeHandle handle, int columns, int rows, TerminalOutput output) {
        try {
            return DockerTerminal.attach(docker, ref(handle), columns, rows, output);
        } catch (DockerException e) {
            throw refused("open a terminal", e);
        } catch (RuntimeException e) {
            throw unavailable("open a terminal", e);
        }
    }

    /**
     * Commits the container (running or stopped; a running one is paused for the commit) into the image
     * {@code genos-snapshot/<environment-id>:<name>}, labelled as GenOS's and this environment's, with the
     * snapshot's name, creation time and description. Only the container's filesystem is kept: not its memory, not
     * its tmpfs {@code /tmp}. The image's config also keeps the container's environment variables, its display
     * password among them, as the container does.
     */
    @Override
    public Snapshot snapshot(RuntimeHandle handle, String name, String description) {
        Snapshot.checkName(name);
        String id = handle.environmentId();
        if (snapshotImage(id, name).isPresent()) {
            throw new InvalidRequestException("environment " + id + " already has a snapshot named \"" + name + "\"");
        }
        try {
            Map<String, String> current = docker.inspectContainerCmd(ref(handle)).exec().getConfig().getLabels();
            Instant created = Instant.now();
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL_PRODUCT, PRODUCT);
            labels.put(LABEL_ENVIRONMENT, id);
            for (String copied : List.of(LABEL_OWNER, LABEL_INSTALLATION)) {
                if (current != null && current.get(copied) != null) {
                    labels.put(copied, current.get(copied));
                }
            }
            labels.put(LABEL_SNAPSHOT, name);
            labels.put(LABEL_SNAPSHOT_CREATED, created.toString());
            labels.put(LABEL_SNAPSHOT_DESCRIPTION, description == null ? "" : description);
            docker.commitCmd(ref(handle)).withRepository(snapshotRepository(id)).withTag(name).withLabels(labels)
                    .withPause(true).exec();
            return new Snapshot(name, created.truncatedTo(ChronoUnit.SECONDS), description);
        } catch (DockerException e) {
            throw refused("save the snapshot " + name, e);
        } catch (RuntimeException e) {
            throw unavailable("save the snapshot " + name, e);
        }
    }

    /** The environment's snapshot images, oldest first. */
    @Override
    public List<Snapshot> snapshots(RuntimeHandle handle) {
        String prefix = snapshotRepository(handle.environmentId()) + ":";
        List<Map.Entry<Instant, Snapshot>> found = new ArrayList<>();
        for (Image image : images(handle.environmentId())) {
            Map<String, String> labels = image.getLabels() == null ? Map.of() : image.getLabels();
            Instant created;
            try {
                created = Instant.parse(labels.getOrDefault(LABEL_SNAPSHOT_CREATED, ""));
            } catch (java.time.format.DateTimeParseException noLabel) {
                created = Instant.ofEpochSecond(image.getCreated() == null ? 0 : image.getCreated());
            }
            String description = labels.get(LABEL_SNAPSHOT_DESCRIPTION);
            for (String tag : tags(image)) {
                if (tag.startsWith(prefix)) {
                    found.add(Map.entry(created, new Snapshot(tag.substring(prefix.length()),
                            created.truncatedTo(ChronoUnit.SECONDS),
                            description == null || description.isEmpty() ? null : description)));
                }
            }
        }
        return found.stream().sorted(Map.Entry.<Instant, Snapshot>comparingByKey()
                .thenComparing(e -> e.getValue().name())).map(Map.Entry::getValue).toList();
    }

    /**
     * Replaces the container by a new one created from the snapshot image with the old one's configuration (limits,
     * labels, environment, network, published ports on 127.0.0.1 with new host ports), started if the old one ran.
     * The new container is created before the old one is removed: on failure the old one is renamed back (and
     * started again if it ran), so the environment is never left without a container; a new one that does not start
     * is handed back stopped (the caller sees it not running). The snapshot image is also
     * tagged {@code genos-base/<environment-id>:latest} (the image the environment now runs from), so that deleting
     * the snapshot later only removes its name.
     */
    @Override
    public RuntimeHandle revert(RuntimeHandle handle, String name) {
        String id = handle.environmentId();
        String image = snapshotImage(id, name).orElseThrow(() -> new SnapshotNotFoundException(id, name));
        InspectContainerResponse old;
        try {
            old = docker.inspectContainerCmd(ref(handle)).exec();
        } catch (DockerException e) {
            throw refused("inspect the container", e);
        } catch (RuntimeException e) {
            throw unavailable("inspect the container", e);
        }
        boolean wasRunning = Boolean.TRUE.equals(old.getState().getRunning());
        if (wasRunning) {
            stop(handle);
        }
        String replaced = containerName(id) + "-replaced-" + System.currentTimeMillis();
        String created;
        try {
            docker.renameContainerCmd(old.getId()).withName(replaced).exec();
        } catch (RuntimeException e) {
            restart(handle, wasRunning);
            throw e instanceof DockerException de ? refused("rename the container", de) : unavailable("rename the container", e);
        }
        try {
            created = docker.createContainerCmd(image)
                    .withName(containerName(id))
                    .withHostName(old.getConfig().getHostName())
                    .withLabels(old.getConfig().getLabels())
                    .withEnv(old.getConfig().getEnv())
                    .withExposedPorts(old.getConfig().getExposedPorts() == null ? new ExposedPort[0]
                            : old.getConfig().getExposedPorts())
                    .withHostConfig(old.getHostConfig())
                    .exec().getId();
        } catch (RuntimeException e) {
            try {
                docker.renameContainerCmd(old.getId()).withName(containerName(id)).exec();
            } catch (RuntimeException renameBack) {
                log.warn("could not rename {} back to {}: {}", old.getId(), containerName(id), renameBack.toString());
            }
            restart(handle, wasRunning);
            throw e instanceof DockerException de ? refused("create the container from the snapshot " + name, de)
                    : unavailable("create the container from the snapshot " + name, e);
        }
        try {
            docker.removeContainerCmd(old.getId()).withForce(true).withRemoveVolumes(true).exec();
        } catch (RuntimeException e) {
            log.warn("could not remove the replaced container {} of {} (destroy removes it): {}", old.getId(), id,
                    e.toString());
        }
        retagBase(id, image);
        RuntimeHandle next = new RuntimeHandle(id, created);
        if (wasRunning) {
            try {
                start(next);
            } catch (RuntimeFailureException e) {
                // the new container exists and is the environment's now: hand it back stopped rather than lose it
                log.warn("the container of {} reverted to {} did not start: {}", id, name, e.getMessage());
            }
        }
        return next;
    }

    private void restart(RuntimeHandle handle, boolean wasRunning) {
        if (wasRunning) {
            try {
                start(handle);
            } catch (RuntimeException e) {
                log.warn("could not start {} again after a failed revert: {}", handle, e.toString());
            }
        }
    }

    /** Points {@code genos-base/<id>:latest} at this image; the image it pointed at before goes if nothing needs it. */
    private void retagBase(String id, String image) {
        String base = BASE_REPOSITORY + id;
        try {
            String previous = null;
            try {
                previous = docker.inspectImageCmd(base + ":latest").exec().getId();
            } catch (NotFoundException none) {
                // the first revert: the container ran from the catalog's image, which stays
            }
            docker.tagImageCmd(image, base, "latest").withForce(true).exec();
            if (previous != null && !previous.equals(image)) {
                removeIfUntagged(previous);
            }
        } catch (RuntimeException e) {
            log.warn("could not tag {} as the base of {}: {}", image, id, e.toString());
        }
    }

    private void removeIfUntagged(String imageId) {
        try {
            List<String> tags = docker.inspectImageCmd(imageId).exec().getRepoTags();
            if (tags == null || tags.isEmpty()) {
                docker.removeImageCmd(imageId).exec();
            }
        } catch (NotFoundException gone) {
            // already removed
        } catch (RuntimeException inUse) {
            // a container or a child image still needs it: Docker removes it with its last child
            log.debug("kept image {}: {}", imageId, inUse.toString());
        }
    }

    /** Removes the snapshot's name; its image goes unless the container runs from it or an environment was restored from it. */
    @Override
    public void deleteSnapshot(RuntimeHandle handle, String name) {
        String id = handle.environmentId();
        snapshotImage(id, name).orElseThrow(() -> new SnapshotNotFoundException(id, name));
        try {
            docker.removeImageCmd(snapshotRepository(id) + ":" + name).exec();
        } catch (NotFoundException gone) {
            throw new SnapshotNotFoundException(id, name);
        } catch (DockerException e) {
            throw refused("delete the snapshot " + name, e);
        } catch (RuntimeException e) {
            throw unavailable("delete the snapshot " + name, e);
        }
    }

    /**
     * Creates the new environment's container from the source's snapshot. The new environment gets an image of its
     * own, {@code genos-base/<new-id>:latest}, built {@code FROM} the snapshot image with the new environment's
     * labels (no layer is copied): destroying the source or deleting the snapshot only removes their names, Docker
     * keeps the snapshot's layers while the new image needs them, and destroying the new environment removes its
     * image (and the snapshot's layers if nothing else needs them).
     */
    @Override
    public RuntimeHandle createFromSnapshot(RuntimeHandle source, String snapshotName, RuntimeRequest request) {
        String snapshot = snapshotImage(source.environmentId(), snapshotName)
                .orElseThrow(() -> new SnapshotNotFoundException(source.environmentId(), snapshotName));
        String id = request.environmentId();
        String base = BASE_REPOSITORY + id + ":latest";
        try {
            Map<String, String> snapshotLabels = docker.inspectImageCmd(snapshot).exec().getConfig().getLabels();
            int displayPort = Integer.parseInt(snapshotLabels == null ? "5901"
                    : snapshotLabels.getOrDefault(LABEL_DISPLAY_PORT, "5901"));
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL_PRODUCT, PRODUCT);
            labels.put(LABEL_ENVIRONMENT, id);
            labels.put(LABEL_OWNER, request.owner());
            labels.put(LABEL_INSTALLATION, request.labels().getOrDefault(LABEL_INSTALLATION, ""));
            labels.put(LABEL_SNAPSHOT, "");
            labels.put(LABEL_RESTORED_FROM, source.environmentId() + ":" + snapshotName);
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("genos-restore-");
            try {
                java.nio.file.Path dockerfile = dir.resolve("Dockerfile");
                java.nio.file.Files.writeString(dockerfile, "FROM " + snapshotRepository(source.environmentId()) + ":"
                        + snapshotName + "\n");
                docker.buildImageCmd().withBaseDirectory(dir.toFile()).withDockerfile(dockerfile.toFile())
                        .withTags(java.util.Set.of(base)).withLabels(labels).withPull(false).withRemove(true)
                        .exec(new com.github.dockerjava.api.command.BuildImageResultCallback())
                        .awaitImageId(2, TimeUnit.MINUTES);
            } finally {
                java.nio.file.Files.deleteIfExists(dir.resolve("Dockerfile"));
                java.nio.file.Files.deleteIfExists(dir);
            }
            CatalogImage from = request.resolution().image();
            CatalogImage image = new CatalogImage(from.id(), Kind.CONTAINER, from.os(), from.desktop(),
                    from.protocols(), from.defaults(), from.packages(), base, displayPort,
                    "snapshot " + snapshotName + " of environment " + source.environmentId());
            Resolution resolution = request.resolution();
            return create(request.withResolution(new Resolution(resolution.spec(), image, resolution.warnings())));
        } catch (RuntimeException | java.io.IOException e) {
            try {
                removeImages(id);
            } catch (RuntimeException cleanup) {
                log.warn("could not remove the image of {} after its restore failed: {}", id, cleanup.toString());
            }
            if (e instanceof RuntimeFailureException || e instanceof InvalidRequestException) {
                throw (RuntimeException) e;
            }
            throw e instanceof DockerException de ? refused("restore the snapshot " + snapshotName, de)
                    : new RuntimeFailureException("could not restore the snapshot " + snapshotName + ": "
                            + e.getMessage(), e);
        }
    }

    /** The environments that have images named {@code genos-snapshot/<id>:*} or {@code genos-base/<id>:*}. */
    @Override
    public Map<String, String> storedByEnvironment() {
        Map<String, String> found = new HashMap<>();
        try {
            for (Image image : docker.listImagesCmd().withLabelFilter(Map.of(LABEL_PRODUCT, PRODUCT)).exec()) {
                Map<String, String> labels = image.getLabels() == null ? Map.of() : image.getLabels();
                String id = labels.get(LABEL_ENVIRONMENT);
                if (id != null && tags(image).stream().anyMatch(t -> t.startsWith(snapshotRepository(id) + ":")
                        || t.startsWith(BASE_REPOSITORY + id + ":"))) {
                    found.put(id, labels.getOrDefault(LABEL_INSTALLATION, ""));
                }
            }
            return found;
        } catch (DockerException e) {
            throw refused("list the images", e);
        } catch (RuntimeException e) {
            throw unavailable("list the images", e);
        }
    }

    /** The display password from the container's environment ({@code GENOS_VNC_PASSWORD}). */
    @Override
    public Optional<String> displayPassword(RuntimeHandle handle) {
        try {
            String[] env = docker.inspectContainerCmd(ref(handle)).exec().getConfig().getEnv();
            return env == null ? Optional.empty() : java.util.Arrays.stream(env)
                    .filter(v -> v.startsWith("GENOS_VNC_PASSWORD=")).map(v -> v.substring(19)).reduce((a, b) -> b);
        } catch (NotFoundException gone) {
            return Optional.empty();
        } catch (DockerException e) {
            throw refused("inspect the container", e);
        } catch (RuntimeException e) {
            throw unavailable("inspect the container", e);
        }
    }

    /** The image id of the environment's snapshot of this name, if it has one. */
    private Optional<String> snapshotImage(String environmentId, String name) {
        String tag = snapshotRepository(environmentId) + ":" + name;
        for (Image image : images(environmentId)) {
            if (tags(image).contains(tag)) {
                return Optional.of(image.getId());
            }
        }
        return Optional.empty();
    }

    /** The images labelled as this environment's (snapshots, and the image it runs from when not the catalog's). */
    private List<Image> images(String environmentId) {
        try {
            return docker.listImagesCmd()
                    .withLabelFilter(Map.of(LABEL_PRODUCT, PRODUCT, LABEL_ENVIRONMENT, environmentId)).exec();
        } catch (DockerException e) {
            throw refused("list the snapshots", e);
        } catch (RuntimeException e) {
            throw unavailable("list the snapshots", e);
        }
    }

    private static List<String> tags(Image image) {
        return image.getRepoTags() == null ? List.of()
                : java.util.Arrays.stream(image.getRepoTags()).filter(t -> !t.startsWith("<none>")).toList();
    }

    /**
     * Removes the environment's images by their names ({@code genos-snapshot/<id>:*}, {@code genos-base/<id>:*}) and
     * untagged ones labelled with it. An image another environment was restored from loses its name but stays as the
     * parent of that environment's image until that one is removed.
     */
    private void removeImages(String environmentId) {
        for (Image image : images(environmentId)) {
            List<String> ours = tags(image).stream().filter(t -> t.startsWith(snapshotRepository(environmentId) + ":")
                    || t.startsWith(BASE_REPOSITORY + environmentId + ":")).toList();
            for (String tag : ours) {
                try {
                    docker.removeImageCmd(tag).exec();
                } catch (NotFoundException gone) {
                    // already removed
                } catch (com.github.dockerjava.api.exception.ConflictException inUse) {
                    // not expected (containers go first); the image keeps its labels, so a later sweep finds it
                    log.warn("could not remove the image {} of {}: {}", tag, environmentId, inUse.getMessage());
                }
            }
            if (tags(image).isEmpty()) {
                removeIfUntagged(image.getId());
            }
        }
    }

    static String snapshotRepository(String environmentId) {
        return SNAPSHOT_REPOSITORY + environmentId;
    }

    private RuntimeStatus status(InspectContainerResponse c) {
        Map<String, String> labels = c.getConfig().getLabels() == null ? Map.of() : c.getConfig().getLabels();
        boolean running = Boolean.TRUE.equals(c.getState().getRunning());
        String envId = labels.get(LABEL_ENVIRONMENT);
        int displayPort = Integer.parseInt(labels.getOrDefault(LABEL_DISPLAY_PORT, "5901"));
        List<Integer> ports = labels.getOrDefault(LABEL_PORTS, "").isBlank() ? List.of()
                : java.util.Arrays.stream(labels.get(LABEL_PORTS).split(",")).map(Integer::valueOf).toList();
        boolean headless = displayPort == 0;
        InetSocketAddress display = null;
        Map<Integer, InetSocketAddress> reachable = new HashMap<>();
        if (running) {
            if ("none".equals(labels.get(LABEL_EGRESS))) {
                ContainerNetwork net = c.getNetworkSettings().getNetworks().get(networkName(envId));
                if (net != null && net.getIpAddress() != null && !net.getIpAddress().isBlank()) {
                    display = headless ? null : new InetSocketAddress(net.getIpAddress(), displayPort);
                    for (int p : ports) {
                        reachable.put(p, new InetSocketAddress(net.getIpAddress(), p));
                    }
                }
            } else {
                Map<ExposedPort, Ports.Binding[]> bindings = c.getNetworkSettings().getPorts().getBindings();
                display = headless ? null : published(bindings, displayPort);
                for (int p : ports) {
                    InetSocketAddress a = published(bindings, p);
                    if (a != null) {
                        reachable.put(p, a);
                    }
                }
            }
        }
        return new RuntimeStatus(c.getId(), envId, running, running ? null : c.getState().getExitCodeLong(), display,
                reachable, labels, headless);
    }

    private static InetSocketAddress published(Map<ExposedPort, Ports.Binding[]> bindings, int port) {
        Ports.Binding[] b = bindings == null ? null : bindings.get(ExposedPort.tcp(port));
        if (b == null) {
            return null;
        }
        for (Ports.Binding binding : b) {
            if (LOOPBACK.equals(binding.getHostIp()) && binding.getHostPortSpec() != null
                    && !binding.getHostPortSpec().isBlank()) {
                return new InetSocketAddress(LOOPBACK, Integer.parseInt(binding.getHostPortSpec()));
            }
        }
        return null;
    }

    static String containerName(String environmentId) {
        return "genos-" + environmentId;
    }

    /**
     * The host-side interface of an environment's internal bridge: {@value #BRIDGE_PREFIX} and 12 hex digits of
     * the id (15 characters, Linux's limit), so that one host firewall rule can cover every isolated environment:
     * {@code iptables -I INPUT -i gn-+ -m conntrack ! --ctstate ESTABLISHED,RELATED -j DROP}.
     */
    static String bridgeName(String environmentId) {
        String hex = environmentId.replace("-", "");
        return BRIDGE_PREFIX + hex.substring(0, Math.min(12, hex.length()));
    }

    static String networkName(String environmentId) {
        return "genos-net-" + environmentId;
    }

    private static String hostName(String name) {
        String h = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        h = h.length() > 63 ? h.substring(0, 63).replaceAll("-+$", "") : h;
        return h.isEmpty() ? "genos" : h;
    }

    private static String ref(RuntimeHandle handle) {
        if (handle.ref() == null) {
            throw new RuntimeFailureException("the environment " + handle.environmentId() + " has no container");
        }
        return handle.ref();
    }

    private static Resources resources(Resolution resolution) {
        Resources r = resolution.spec().resources();
        return r != null ? r : resolution.image().defaults();
    }

    private static Egress egress(EnvironmentSpec spec) {
        return spec.network() == null || spec.network().egress() == null ? Egress.OPEN : spec.network().egress();
    }

    private static List<Integer> ports(EnvironmentSpec spec) {
        return spec.network() == null || spec.network().ports() == null ? List.of()
                : spec.network().ports().stream().distinct().toList();
    }

    /** WxH from the spec's streaming, or empty for the image's default. */
    private static Optional<String> geometry(EnvironmentSpec spec) {
        Streaming s = spec.streaming();
        if (s == null || s.width() == null && s.height() == null) {
            return Optional.empty();
        }
        if (s.width() == null || s.height() == null) {
            throw new InvalidRequestException("a display resolution needs both width and height");
        }
        if (s.width() < 320 || s.width() > 7680 || s.height() < 200 || s.height() > 4320) {
            throw new InvalidRequestException("the display resolution " + s.width() + "x" + s.height()
                    + " is outside 320x200 .. 7680x4320");
        }
        return Optional.of(s.width() + "x" + s.height());
    }

    private static RuntimeFailureException refused(String what, DockerException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        int brace = message.indexOf("{\"message\":\"");
        if (brace >= 0) {
            message = message.substring(brace + 12).replaceAll("\"}\\s*$", "");
        }
        return new RuntimeFailureException("Docker refused to " + what + ": " + message, e);
    }

    private static RuntimeFailureException unavailable(String what, RuntimeException e) {
        if (e instanceof RuntimeFailureException rf) {
            return rf;
        }
        return new RuntimeFailureException("could not " + what + ": Docker is unavailable (" + e.getMessage() + ")", e);
    }
}
