package io.genos.orchestrator;

import static io.genos.orchestrator.Transitions.handle;
import static io.genos.orchestrator.Transitions.host;
import static io.genos.orchestrator.Transitions.port;
import static io.genos.orchestrator.Transitions.reason;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.catalog.Resolution;
import jakarta.annotation.PreDestroy;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The environments service the portal calls. It persists every environment, drives its state machine (recording
 * and publishing each change) and calls the runtime that supports the environment's kind. Authorisation is the
 * caller's job; the {@code actor} of each call is recorded.
 *
 * <p>{@link #launch} returns at once; provisioning runs on a virtual thread and reports
 * {@link EnvironmentProgress} until the environment is RUNNING (its display answered) or FAILED (with a reason,
 * and with nothing left behind in the runtime).
 *
 * <p>This class is the door and the transitions of a running environment (start, stop, reboot, destroy, terminal);
 * the rest is split by concern, package-private: {@link Transitions} (store, locks, the state machine's moves and
 * their events), {@link Provisioning} (a launch's way to RUNNING), {@link DisplayReadiness}, {@link
 * EnvironmentSnapshots}, {@link Lifetimes} and {@link Reconciler}.
 */
@Service
public class Environments {
    private static final Logger log = LoggerFactory.getLogger(Environments.class);
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,62}");

    private final Transitions t;
    private final EnvironmentStore store;
    private final Clock clock;
    private final DisplayReadiness display;
    private final Provisioning provisioning;
    private final EnvironmentSnapshots snapshots;
    private final Lifetimes lifetimes;
    private final Reconciler reconciler;

    @Autowired
    Environments(EnvironmentStore store, List<EnvironmentRuntime> runtimes, ApplicationEventPublisher events,
            OrchestratorProperties properties) {
        this(store, runtimes, events, properties, Clock.systemUTC());
    }

    Environments(EnvironmentStore store, List<EnvironmentRuntime> runtimes, ApplicationEventPublisher events,
            OrchestratorProperties properties, Clock clock) {
        this.t = new Transitions(store, runtimes, events, clock);
        this.store = store;
        this.clock = clock;
        this.display = new DisplayReadiness(properties.displayTimeout());
        this.provisioning = new Provisioning(t, display, properties.displayTimeout());
        this.snapshots = new EnvironmentSnapshots(t, provisioning, display);
        this.lifetimes = new Lifetimes(t);
        this.reconciler = new Reconciler(t, provisioning);
    }

    /**
     * Records a new environment (REQUESTED) and starts provisioning it in the background. Bad input (no owner, a
     * kind no runtime supports, a name the owner already uses, an unreadable lifetime) is refused with an
     * {@link InvalidRequestException} and changes nothing.
     *
     * @param resolution the spec resolved by the catalog (and passed through policy by the caller)
     * @param owner the username that owns it (also recorded as the actor)
     * @return the environment as stored, in state REQUESTED
     */
    public Environment launch(Resolution resolution, String owner) {
        return launch(resolution, owner, Quota.UNLIMITED);
    }

    /**
     * {@link #launch(Resolution, String)} within the owner's {@link Quota}: a launch that would go beyond it is refused
     * with a {@link QuotaExceededException} naming the limit, before anything is stored or created. Launches of one
     * owner are checked one at a time, so two at once cannot both slip under the limit.
     */
    public Environment launch(Resolution resolution, String owner, Quota quota) {
        if (owner == null || owner.isBlank()) {
            throw new InvalidRequestException("an environment needs an owner");
        }
        return t.locked("quota:" + owner, () -> {
            quota.check(owner, Quota.Usage.of(store.listByOwner(owner)),
                    resolution == null || resolution.spec() == null ? null : resolution.spec().resources());
            return launchWithinQuota(resolution, owner);
        });
    }

    private Environment launchWithinQuota(Resolution resolution, String owner) {
        if (resolution == null || resolution.spec() == null || resolution.image() == null) {
            throw new InvalidRequestException("a resolved spec (spec and catalog image) is required to launch");
        }
        if (owner == null || owner.isBlank()) {
            throw new InvalidRequestException("an environment needs an owner");
        }
        EnvironmentSpec spec = resolution.spec();
        Kind kind = resolution.image().kind();
        EnvironmentRuntime runtime = t.runtimeFor(kind);
        List<String> warnings = new ArrayList<>(resolution.warnings());
        warnings.addAll(runtime.check(resolution));
        String name = spec.name() == null || spec.name().isBlank() ? t.freeName(owner, resolution.image().id())
                : spec.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException("the name \"" + name + "\" is not allowed: use 1 to 63 letters, digits, "
                    + "spaces, dots, dashes or underscores, starting with a letter or digit");
        }
        Instant now = clock.instant();
        Instant expires = Provisioning.expiry(spec, now);
        Environment e = Environment.builder().id(UUID.randomUUID().toString()).owner(owner).name(name)
                .imageId(resolution.image().id()).kind(kind).state(EnvironmentState.REQUESTED)
                .stateReason("requested by " + owner).progressText("queued").displayPassword(provisioning.password())
                .spec(spec.name() == null ? spec.toBuilder().name(name).build() : spec).warnings(warnings).at(now)
                .expiresAt(expires).displayProtocol(runtime.displayProtocol(resolution)).build();
        return provisioning.submit(e, owner, resolution, EnvironmentRuntime::create);
    }

    public Optional<Environment> find(String id) {
        return t.find(id);
    }

    public List<Environment> listByOwner(String owner) {
        return store.listByOwner(owner);
    }

    public List<Environment> listAll() {
        return store.listAll();
    }

    /** Every recorded state change of an environment, oldest first. */
    public List<EnvironmentEvent> history(String id) {
        t.get(id);
        return store.events(id);
    }

    /** The longer texts kept with the environment's history (build logs of its image layers), oldest first. */
    public List<EnvironmentLog> logs(String id) {
        t.get(id);
        return store.logs(id);
    }

    /**
     * What a launch of this resolution would meet, checked before anything is stored or built: throws
     * {@link InvalidRequestException} for what the runtime refuses (unknown package names among them), and says which
     * image layers would have to be built.
     */
    public Preflight preflight(Resolution resolution) {
        if (resolution == null || resolution.spec() == null || resolution.image() == null) {
            throw new InvalidRequestException("a resolved spec (spec and catalog image) is required");
        }
        EnvironmentRuntime runtime = t.runtimeFor(resolution.image().kind());
        List<String> warnings = new ArrayList<>(resolution.warnings());
        warnings.addAll(runtime.check(resolution));
        return new Preflight(List.copyOf(new java.util.LinkedHashSet<>(warnings)),
                resolution.composed() ? runtime.layersToBuild(resolution) : List.of(),
                resolution.composed() ? resolution.composition().layerNames() : List.of(),
                runtime.toPull(resolution).orElse(null));
    }

    /**
     * What {@link #preflight} found.
     *
     * @param warnings what the launch would do differently from what was asked
     * @param toBuild the image layers that are not built yet ("the KDE desktop"), in build order
     * @param layers every layer the composition has (built or not)
     * @param toPull the registry image pulled first because it is not on the host, or null
     */
    public record Preflight(List<String> warnings, List<String> toBuild, List<String> layers, String toPull) {}

    /** The display endpoint (VNC, host, port, password) while the environment is RUNNING. */
    public Optional<DisplayEndpoint> display(String id) {
        return find(id).flatMap(Environment::display);
    }

    /** Stops a RUNNING environment (its disk is kept). */
    public Environment stop(String id, String actor) {
        return t.locked(id, () -> {
            Environment e = t.get(id);
            e.state().checkMoveTo(EnvironmentState.STOPPED);
            t.runtimeFor(e.kind()).stop(handle(e));
            return t.move(e, EnvironmentState.STOPPED, "stopped by " + actor, actor, null, 0);
        });
    }

    /**
     * {@link #start(String, String)} within the owner's {@link Quota}: the environment's CPUs, memory and GPUs count
     * again once it runs, so a start that would go beyond the quota (after other launches while it was stopped) is
     * refused with a {@link QuotaExceededException}, nothing changed.
     */
    public Environment start(String id, String actor, Quota quota) {
        return withinQuota(id, quota, () -> start(id, actor));
    }

    /**
     * {@link #revert(String, String, String)} within the owner's {@link Quota}: a stopped environment reverted to a
     * snapshot taken while it ran runs again, so it counts again.
     */
    public Environment revert(String id, String snapshotName, String actor, Quota quota) {
        return withinQuota(id, quota, () -> snapshots.revert(id, snapshotName, actor));
    }

    /** Checks the quota of the environment's owner as if it were launched now, with the others as they are. */
    private Environment withinQuota(String id, Quota quota, java.util.function.Supplier<Environment> action) {
        Environment e = t.get(id);
        return t.locked("quota:" + e.owner(), () -> {
            Environment now = t.get(id);
            if (now.state() != EnvironmentState.RUNNING) {
                List<Environment> others = store.listByOwner(now.owner()).stream()
                        .filter(o -> !o.id().equals(id)).toList();
                quota.check(now.owner(), Quota.Usage.of(others), now.spec() == null ? null : now.spec().resources());
            }
            return action.get();
        });
    }

    /** Starts a STOPPED environment again and waits until its display answers (else it becomes FAILED). */
    public Environment start(String id, String actor) {
        return t.locked(id, () -> {
            Environment e = t.get(id);
            e.state().checkMoveTo(EnvironmentState.RUNNING);
            EnvironmentRuntime runtime = t.runtimeFor(e.kind());
            try {
                e = t.progress(e, 50, "starting");
                runtime.start(handle(e));
                e = t.progress(e, 75, "waiting for the display");
                InetSocketAddress address = display.await(runtime, handle(e));
                e = e.withProgress(100, "running");
                return t.move(e, EnvironmentState.RUNNING, "started by " + actor, actor, host(address), port(address));
            } catch (RuntimeException ex) {
                String reason = reason(ex);
                try {
                    runtime.stop(handle(e));
                } catch (RuntimeException stopFailure) {
                    log.warn("could not stop {} after its failed start: {}", id, stopFailure.toString());
                }
                t.move(e, EnvironmentState.FAILED, reason, actor, null, 0);
                throw ex instanceof OrchestratorException oe ? oe : new RuntimeFailureException(reason, ex);
            }
        });
    }

    /**
     * Reboots a RUNNING environment (a container is restarted, a VM's guest asked to reboot) and waits until its display
     * answers again, recorded as "rebooted by ACTOR". A reboot whose environment does not come back leaves it FAILED
     * with the reason, like a failed start.
     *
     * @throws IllegalTransitionException unless the environment is running
     */
    public Environment reboot(String id, String actor) {
        return t.locked(id, () -> {
            Environment e = t.get(id);
            if (e.state() != EnvironmentState.RUNNING) {
                throw new IllegalTransitionException(e.state(), "cannot reboot an environment that is "
                        + e.state().label() + " (only running ones" + (e.state() == EnvironmentState.STOPPED
                                ? "; start it instead)" : ")"));
            }
            EnvironmentRuntime runtime = t.runtimeFor(e.kind());
            try {
                runtime.reboot(handle(e));
                InetSocketAddress address = display.await(runtime, handle(e));
                Environment next = e.withDisplay(host(address), port(address));
                store.update(next, EnvironmentState.RUNNING, actor);
                store.note(next, clock.instant(), actor, "rebooted by " + actor);
                return next;
            } catch (RuntimeException ex) {
                String why = "the reboot failed: " + reason(ex);
                try {
                    runtime.stop(handle(e));
                } catch (RuntimeException stopFailure) {
                    log.warn("could not stop {} after its failed reboot: {}", id, stopFailure.toString());
                }
                t.move(e, EnvironmentState.FAILED, why, actor, null, 0);
                throw ex instanceof OrchestratorException oe ? oe : new RuntimeFailureException(why, ex);
            }
        });
    }

    /**
     * Removes the environment's resources from the runtime (its snapshots too); the record stays, DESTROYED. Called while the
     * environment is still being provisioned, it waits for provisioning to end first.
     */
    public Environment destroy(String id, String actor) {
        provisioning.awaitEnd(id);
        return t.locked(id, () -> {
            Environment e = t.get(id);
            e.state().checkMoveTo(EnvironmentState.DESTROYED);
            t.runtimeFor(e.kind()).destroy(handle(e));
            return t.move(e.withRuntimeRef(null), EnvironmentState.DESTROYED, "destroyed by " + actor, actor, null, 0);
        });
    }

    /** Runs a command in a RUNNING environment. */
    public ExecResult exec(String id, String... command) {
        Environment e = t.get(id);
        if (e.state() != EnvironmentState.RUNNING) {
            throw new IllegalTransitionException(e.state(), EnvironmentState.RUNNING);
        }
        if (command.length == 0) {
            throw new InvalidRequestException("exec needs a command");
        }
        return t.runtimeFor(e.kind()).exec(handle(e), command);
    }

    /**
     * Attaches a terminal to a RUNNING environment: for containers a TTY running {@code tmux new-session -A -s genos},
     * so that every attach finds the same shell. Authorisation is the caller's job.
     *
     * @param columns initial width in character cells (1..1000)
     * @param rows initial height in character cells (1..1000)
     * @param output receives what the terminal prints, and its end
     */
    public Terminal attachTerminal(String id, int columns, int rows, TerminalOutput output) {
        if (columns < 1 || columns > 1000 || rows < 1 || rows > 1000) {
            throw new InvalidRequestException("a terminal of " + columns + "x" + rows
                    + " cells is not possible: use 1 to 1000 columns and rows");
        }
        if (output == null) {
            throw new InvalidRequestException("a terminal needs somewhere to print");
        }
        Environment e = t.get(id);
        if (e.state() != EnvironmentState.RUNNING) {
            throw new InvalidRequestException("the environment " + e.name() + " is " + e.state().label()
                    + ", not running: start it to open its terminal");
        }
        return t.runtimeFor(e.kind()).attachTerminal(handle(e), columns, rows, output);
    }

    /**
     * Saves the environment's state as a snapshot. A VM snapshot taken while it runs holds its memory and disk (a
     * revert brings back the running VM), one taken while stopped holds the disk. A container snapshot (running or
     * stopped) holds its filesystem only, as an image ({@code docker commit}; not its memory, not its tmpfs
     * {@code /tmp}). Recorded in the history as "snapshot NAME taken by ACTOR".
     *
     * @throws InvalidRequestException for a name that is not a DNS label or already names a snapshot of it
     * @throws EnvironmentNotFoundException for an unknown id
     * @throws IllegalTransitionException unless the environment is running or stopped
     * @throws RuntimeFailureException when its runtime cannot take snapshots or refuses
     */
    public Snapshot snapshot(String id, String name, String actor) {
        return snapshots.snapshot(id, name, actor);
    }

    /**
     * The environment's snapshots, oldest first; empty unless it is running or stopped (before provisioning ended
     * and after destroy there are none).
     */
    public List<Snapshot> snapshots(String id) {
        return snapshots.snapshots(id);
    }

    /**
     * Brings the environment back to a snapshot, recorded as "reverted to snapshot NAME by ACTOR". A snapshot taken
     * while running leaves it RUNNING (from STOPPED too: it is started from the saved memory, and its display is waited
     * for); one taken while stopped leaves it STOPPED. A container is replaced by a new one created from the
     * snapshot's image (its runtime ref changes and is stored) and stays as it was, RUNNING (its display is waited
     * for) or STOPPED. The snapshot is kept.
     *
     * @throws SnapshotNotFoundException when it has no snapshot of that name (nothing changed)
     */
    public Environment revert(String id, String snapshotName, String actor) {
        return snapshots.revert(id, snapshotName, actor);
    }

    /**
     * Deletes one snapshot of the environment, recorded as "snapshot NAME deleted by ACTOR"; the environment stays as
     * it is.
     *
     * @throws SnapshotNotFoundException when it has no snapshot of that name (nothing changed)
     */
    public void deleteSnapshot(String id, String name, String actor) {
        snapshots.delete(id, name, actor);
    }

    /**
     * Launches a new environment from a snapshot of another one: a new id, the source's spec (its lifetime counted from
     * now), the name {@code <source-name>-from-<snapshot>} (with {@code -N} added when the owner already uses it), and
     * a container created from the snapshot's image instead of the catalog's. It provisions like {@link #launch} and
     * is recorded as "restored from snapshot NAME of SOURCE by OWNER". What the new environment runs from is its own
     * (see {@link EnvironmentRuntime#createFromSnapshot}): destroying the source leaves it working. Authorisation
     * (the source's owner or an admin) is the caller's job.
     *
     * @param owner the owner of the new environment (also recorded as the actor)
     * @param quota the new owner's quota, checked as for a launch
     * @throws InvalidRequestException for a bad snapshot name, no owner, or a VM (not supported yet)
     * @throws SnapshotNotFoundException when the source has no snapshot of that name (nothing changed)
     * @throws IllegalTransitionException unless the source is running or stopped
     * @throws QuotaExceededException when the new environment would go beyond the quota
     */
    public Environment launchFromSnapshot(String sourceId, String snapshotName, String owner, Quota quota) {
        return snapshots.launchFrom(sourceId, snapshotName, owner, quota);
    }

    /**
     * Moves the end of the environment's lifetime {@code by} later (counted from the current end, or from now when that
     * has passed), recorded as "lifetime extended by 1 h (until …) by ACTOR". The whole lifetime, from creation to the
     * new end, stays within {@code longest} (the policy's longest lifetime): a request beyond it is refused with the
     * latest end allowed, and changes nothing.
     *
     * @throws InvalidRequestException for a non-positive {@code by}, an environment without an end of lifetime, or
     *     an extension beyond {@code longest}
     * @throws IllegalTransitionException when the environment is destroyed or failed
     */
    public Environment extend(String id, Duration by, Duration longest, String actor) {
        return lifetimes.extend(id, by, longest, actor);
    }

    /** Destroys every environment whose lifetime has ended at {@code now}; returns how many. For a scheduler. */
    public int destroyExpired(Instant now) {
        int n = 0;
        for (Environment e : lifetimes.ended(now)) {
            destroy(e.id(), "genos (lifetime ended)");
            n++;
        }
        return n;
    }

    /**
     * Brings the records in line with what the runtimes report, and says what it changed. Runs once when the
     * application is ready; the portal may call it again (e.g. from an admin view).
     * <ul>
     * <li>REQUESTED or PROVISIONING, but not provisioning in this JVM (GenOS restarted meanwhile): resources removed,
     * FAILED.</li>
     * <li>RUNNING, but the runtime has nothing: FAILED; found not running: STOPPED; running: the display address is
     * refreshed (a restarted dockerd may publish another port).</li>
     * <li>STOPPED, but the runtime has nothing: FAILED.</li>
     * </ul>
     * Runtime resources are the truth for what they carry. Only resources labelled with this installation's id
     * ({@link #installationId()}) are touched; those of another GenOS installation sharing the host (or of none) are
     * reported and left alone:
     * <ul>
     * <li>no record here, lifetime not ended: ADOPTED, a record is created from its labels (owner, name, image, spec,
     * expiry; the display password read back from the runtime), RUNNING or STOPPED as found.</li>
     * <li>no record here, lifetime ended: removed, and recorded as a DESTROYED environment.</li>
     * <li>a record DESTROYED, or FAILED with no runtime ref (a cleanup that failed): removed, noted in its history;
     * the same for what the runtime stores for such an environment ({@link EnvironmentRuntime#storedByEnvironment},
     * e.g. snapshot images), which without any record is reported.</li>
     * </ul>
     * Every change is recorded with {@code actor} as who and the reason.
     */
    public List<String> reconcile(String actor) {
        return reconciler.reconcile(actor);
    }

    /** The id of this installation (its database), carried by every resource it creates. */
    public String installationId() {
        return t.installationId();
    }

    @EventListener(ApplicationReadyEvent.class)
    void reconcileAtStartup() {
        try {
            List<String> changes = reconcile("genos (startup)");
            changes.forEach(c -> log.info("reconcile: {}", c));
        } catch (RuntimeException ex) {
            log.warn("could not reconcile environments at startup: {}", ex.toString());
        }
    }

    @PreDestroy
    void close() {
        provisioning.close();
    }
}
