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
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.genos.orchestrator.AptRepositories;
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

    private final DockerClient docker;
    private final OrchestratorProperties properties;
    private final boolean ownsClient;
    private final ImageComposer composer;
    private final PackageCheck packages;
    private final LayerCache layers;
    private final ImagePuller puller;
    private final DockerSnapshots snapshots;

    /** A runtime over a client the caller keeps (and closes). */
    public DockerRuntime(DockerClient docker, OrchestratorProperties properties) {
        this(docker, properties, false);
    }

    private DockerRuntime(DockerClient docker, OrchestratorProperties properties, boolean ownsClient) {
        this.docker = docker;
        this.properties = properties;
        this.ownsClient = ownsClient;
        AptRepositories repositories = new AptRepositories(properties.aptRepositories());
        this.composer = new ImageComposer(docker, properties.buildTimeout(), repositories);
        this.puller = new ImagePuller(docker, properties.buildTimeout());
        this.packages = new PackageCheck(new PackageIndexes(properties.packageIndexDir()), repositories);
        this.layers = new LayerCache(docker, properties.buildTimeout());
        this.snapshots = new DockerSnapshots(docker, this);
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
    public void ping() {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw unavailable("reach dockerd", e);
        }
    }

    /** Pulls a registered image that is not on the host from its registry, then builds the layers that are missing. */
    @Override
    public Resolution compose(Resolution resolution, BuildListener listener) {
        CatalogImage source = source(resolution);
        boolean pull = source.external() && source.reference() != null;
        if (!pull && !resolution.composed()) {
            return resolution;
        }
        check(resolution);
        if (pull && puller.ensure(source.reference(), listener)) {
            listener.pulled(source.reference());
        }
        if (!resolution.composed()) {
            return resolution;
        }
        Composition c = resolution.composition();
        return resolution.withComposedImage(composer.compose(c.start().reference(), c, listener));
    }

    @Override
    public Optional<String> toPull(Resolution resolution) {
        CatalogImage source = source(resolution);
        try {
            return source.external() && source.reference() != null && !puller.present(source.reference())
                    ? Optional.of(source.reference()) : Optional.empty();
        } catch (RuntimeException e) {
            log.debug("could not tell whether {} is here: {}", source.reference(), e.toString());
            return Optional.of(source.reference());
        }
    }

    /** The image a launch starts from: the composition's start, or the image itself. */
    private static CatalogImage source(Resolution resolution) {
        return resolution.composed() ? resolution.composition().start() : resolution.image();
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
            throw new RuntimeFailureException(image.external() ? "the image " + image.reference() + " is not on this "
                    + "Docker host (it is pulled from its registry when an environment is launched)"
                    : ImageComposer.notBuilt(image.reference()));
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
            var create = docker.createContainerCmd(image.reference());
            if (image.external() && !image.graphical()) {
                // a registry image's own command (a shell, often) would end at once without a terminal
                create.withEntrypoint("sleep", "infinity").withCmd(List.of());
            }
            String containerId = create
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
            snapshots.removeImages(handle.environmentId());
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
        return snapshots.snapshot(handle, name, description);
    }

    /** The environment's snapshot images, oldest first. */
    @Override
    public List<Snapshot> snapshots(RuntimeHandle handle) {
        return snapshots.snapshots(handle);
    }

    /**
     * Replaces the container by a new one created from the snapshot image with the old one's configuration, started
     * if the old one ran; see {@link DockerSnapshots#revert}.
     */
    @Override
    public RuntimeHandle revert(RuntimeHandle handle, String name) {
        return snapshots.revert(handle, name);
    }

    /** Removes the snapshot's name; its image goes unless the container runs from it or an environment was restored from it. */
    @Override
    public void deleteSnapshot(RuntimeHandle handle, String name) {
        snapshots.deleteSnapshot(handle, name);
    }

    /**
     * Creates the new environment's container from the source's snapshot, from an image of its own,
     * {@code genos-base/<new-id>:latest}; see {@link DockerSnapshots#createFromSnapshot}.
     */
    @Override
    public RuntimeHandle createFromSnapshot(RuntimeHandle source, String snapshotName, RuntimeRequest request) {
        return snapshots.createFromSnapshot(source, snapshotName, request);
    }

    /** The environments that have images named {@code genos-snapshot/<id>:*} or {@code genos-base/<id>:*}. */
    @Override
    public Map<String, String> storedByEnvironment() {
        return snapshots.storedByEnvironment();
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

    static String ref(RuntimeHandle handle) {
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

    static RuntimeFailureException refused(String what, DockerException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        int brace = message.indexOf("{\"message\":\"");
        if (brace >= 0) {
            message = message.substring(brace + 12).replaceAll("\"}\\s*$", "");
        }
        return new RuntimeFailureException("Docker refused to " + what + ": " + message, e);
    }

    static RuntimeFailureException unavailable(String what, RuntimeException e) {
        if (e instanceof RuntimeFailureException rf) {
            return rf;
        }
        return new RuntimeFailureException("could not " + what + ": Docker is unavailable (" + e.getMessage() + ")", e);
    }
}
