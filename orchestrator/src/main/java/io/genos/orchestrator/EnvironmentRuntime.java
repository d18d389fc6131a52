package io.genos.orchestrator;

import io.genos.spec.Kind;
import io.genos.spec.catalog.Resolution;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to a system that runs environments: Docker for containers, libvirt for VMs (later). Every resource an
 * adapter creates carries the labels (or metadata) {@code io.genos.product=genos}, {@code io.genos.environment=<id>}
 * and {@code io.genos.owner=<owner>}, so that it can be found and cleaned up after a crash. Operations throw
 * {@link RuntimeFailureException} with a message the user can read.
 */
public interface EnvironmentRuntime {

    String LABEL_PRODUCT = "io.genos.product";
    String PRODUCT = "genos";
    String LABEL_ENVIRONMENT = "io.genos.environment";
    String LABEL_OWNER = "io.genos.owner";
    String LABEL_IMAGE = "io.genos.image";
    /** The GenOS installation (its database) that created the resource: reconcile adopts or removes only its own. */
    String LABEL_INSTALLATION = "io.genos.installation";
    /** The environment's name, for adopting it after its record was lost. */
    String LABEL_NAME = "io.genos.name";
    /** When its lifetime ends (ISO-8601 instant), empty when unlimited. */
    String LABEL_EXPIRES_AT = "io.genos.expires-at";
    /** The resolved spec as JSON, as the database stores it. */
    String LABEL_SPEC = "io.genos.spec";

    /**
     * The warning every runtime gives when the spec asks for packages its image does not have and cannot get (a
     * runtime that composes images adds them instead), or empty. Refuses with {@link InvalidRequestException} when the
     * image's package manager is not one GenOS drives (only apt: Debian, Ubuntu), naming it.
     */
    static Optional<String> missingPackages(Resolution resolution) {
        var image = resolution.image();
        List<String> missing = resolution.spec().packagesOrEmpty().stream()
                .filter(p -> !image.packages().contains(p)).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        if (!image.aptBased()) {
            var os = image.os();
            String system = os == null || os.distro() == null ? "an operating system GenOS does not know"
                    : Character.toUpperCase(os.distro().charAt(0)) + os.distro().substring(1)
                            + (os.version() == null ? "" : " " + os.version());
            throw new InvalidRequestException(image.id() + " runs " + system + ", whose package manager GenOS does "
                    + "not drive (it adds packages with apt, to Debian and Ubuntu images): " + String.join(", ", missing)
                    + " cannot be installed. Launch " + image.id()
                    + " without packages, or choose a Debian or Ubuntu image");
        }
        return Optional.of("not installed (not in the image " + image.id() + "): " + String.join(", ", missing));
    }

    /**
     * Builds what a composed resolution needs ({@link Resolution#composition()}): each missing layer once, whoever
     * asks, reusing the ones that are there. Returns the resolution for the composed image; a resolution without a
     * composition comes back as it is. A build that fails throws {@link RuntimeFailureException} with the package
     * manager's own reason and leaves nothing behind. Runtimes that cannot compose refuse with
     * {@link InvalidRequestException} (this default, for compositions).
     */
    default Resolution compose(Resolution resolution, BuildListener listener) {
        if (resolution.composed()) {
            throw new InvalidRequestException("this runtime cannot compose images: ask for "
                    + resolution.composition().start().id() + " as it is");
        }
        return resolution;
    }

    /**
     * What {@link #compose} would have to build for this resolution, as layer names ("the KDE desktop"); empty when
     * everything is cached or nothing is composed.
     */
    default List<String> layersToBuild(Resolution resolution) {
        return resolution.composed() ? resolution.composition().layerNames() : List.of();
    }

    /**
     * The registry image {@link #compose} would pull for this resolution first (it is not on the host), or empty.
     */
    default Optional<String> toPull(Resolution resolution) {
        return Optional.empty();
    }

    /** The composed image layers this runtime keeps (none by default). */
    default List<CachedImage> cachedImages() {
        return List.of();
    }

    /**
     * Removes one composed layer. Refuses with {@link InvalidRequestException} one that an environment runs from or
     * that other images are built on.
     */
    default void removeCachedImage(String ref) {
        throw new InvalidRequestException("this runtime keeps no composed images");
    }

    /** Removes what an interrupted layer build left (its container, a temporary image); says what went. */
    default List<String> sweepBuildLeftovers() {
        return List.of();
    }

    /**
     * Whether the system behind the runtime answers now (dockerd, libvirtd), for health checks; throws with the reason
     * when it does not.
     */
    default void ping() {}

    /** Whether this runtime runs environments of this kind. */
    boolean supports(Kind kind);

    /**
     * Checks a resolved spec before anything is created: throws {@link InvalidRequestException} for what this runtime
     * cannot do at all, and returns warnings for what it does differently from what was asked.
     */
    List<String> check(Resolution resolution);

    /** Creates (but does not start) the environment's resources. On failure nothing is left behind. */
    RuntimeHandle create(RuntimeRequest request);

    void start(RuntimeHandle handle);

    void stop(RuntimeHandle handle);

    /**
     * Restarts a running environment the way its system does it gracefully: a container's processes are stopped and
     * started again (its filesystem kept); a VM's guest is asked to reboot (ACPI) and comes back in the same domain.
     */
    default void reboot(RuntimeHandle handle) {
        throw new RuntimeFailureException("this runtime cannot reboot its environments");
    }

    /** Removes everything of this environment (by handle and by label); idempotent. */
    void destroy(RuntimeHandle handle);

    /** What the runtime reports now, empty when it has nothing for this handle. */
    Optional<RuntimeStatus> inspect(RuntimeHandle handle);

    /** Every environment resource whose labels include all of these. */
    List<RuntimeStatus> listByLabels(Map<String, String> labels);

    /** Runs a command inside a running environment and waits for it. */
    ExecResult exec(RuntimeHandle handle, String... command);

    /** The last lines of the environment's console or log, for failure reasons. */
    String logTail(RuntimeHandle handle, int lines);

    /**
     * Attaches a terminal (a shell that survives detaching) to a running environment. Runtimes without terminals
     * refuse with {@link InvalidRequestException}.
     */
    default Terminal attachTerminal(RuntimeHandle handle, int columns, int rows, TerminalOutput output) {
        throw new InvalidRequestException("this runtime has no terminal for its environments");
    }

    /**
     * Saves the environment's state under a name (already validated by the caller, unique among its snapshots). A
     * runtime that cannot snapshot throws {@link RuntimeFailureException} (this default).
     */
    default Snapshot snapshot(RuntimeHandle handle, String name, String description) {
        throw snapshotsNotSupported();
    }

    /** The environment's snapshots, oldest first. */
    default List<Snapshot> snapshots(RuntimeHandle handle) {
        throw snapshotsNotSupported();
    }

    /**
     * Brings the environment back to the snapshot: a VM snapshot taken while running comes back running, one taken
     * while stopped comes back stopped; a container comes back in the state it is in now (its snapshots hold no
     * memory). Throws {@link SnapshotNotFoundException} for an unknown name.
     *
     * @return the environment's handle afterwards: its ref changes when the runtime replaces the resource (Docker
     *     creates a new container from the snapshot image), and the caller must keep the new one
     */
    default RuntimeHandle revert(RuntimeHandle handle, String name) {
        throw snapshotsNotSupported();
    }

    /** Deletes one snapshot (the environment stays as it is). Throws {@link SnapshotNotFoundException}. */
    default void deleteSnapshot(RuntimeHandle handle, String name) {
        throw snapshotsNotSupported();
    }

    /**
     * Creates (but does not start) a new environment from a snapshot of another one, as {@link #create} does from a
     * catalog image. The request's resolution carries the source's spec and catalog image; the runtime replaces the
     * image by the snapshot. What the new environment runs from belongs to it: destroying the source (or deleting the
     * snapshot) leaves it working. Throws {@link SnapshotNotFoundException} for an unknown name; runtimes that cannot
     * refuse with {@link InvalidRequestException} (this default).
     */
    default RuntimeHandle createFromSnapshot(RuntimeHandle source, String snapshotName, RuntimeRequest request) {
        throw new InvalidRequestException("this runtime cannot restore a snapshot into a new environment");
    }

    /**
     * What the runtime stores for environments apart from their own resource (Docker: snapshot images and the image a
     * reverted or restored container runs from), as environment id → the installation label it carries (empty when
     * none). {@link #destroy} removes them; reconcile uses this to sweep what a failed destroy left. Empty by default.
     */
    default Map<String, String> storedByEnvironment() {
        return Map.of();
    }

    /**
     * The display password as the resource holds it, for adopting an environment whose record was lost; empty when
     * the runtime cannot read it back.
     */
    default Optional<String> displayPassword(RuntimeHandle handle) {
        return Optional.empty();
    }

    private RuntimeFailureException snapshotsNotSupported() {
        String kinds = java.util.Arrays.stream(Kind.values()).filter(this::supports)
                .map(k -> k == Kind.VM ? "virtual machines" : k.json() + "s")
                .collect(java.util.stream.Collectors.joining(" or "));
        return new RuntimeFailureException("snapshots are not supported for " + (kinds.isEmpty() ? "this runtime" : kinds)
                + " yet");
    }

    /**
     * The protocol the display of an environment of this resolution will speak; VNC unless the runtime says otherwise.
     * Asked once at launch and kept with the environment.
     */
    default io.genos.spec.Streaming.Protocol displayProtocol(Resolution resolution) {
        return io.genos.spec.Streaming.Protocol.VNC;
    }
}
