package io.genos.orchestrator;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import io.genos.spec.policy.PolicyGate;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 */
@Service
public class Environments {
    private static final Logger log = LoggerFactory.getLogger(Environments.class);
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,62}");
    private static final String PASSWORD_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** VNC authentication uses only the first 8 characters of a password. */
    private static final int PASSWORD_LENGTH = 8;

    private final EnvironmentStore store;
    private final List<EnvironmentRuntime> runtimes;
    private final ApplicationEventPublisher events;
    private final OrchestratorProperties properties;
    private final Clock clock;
    private final ExecutorService provisioning = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("genos-provision-", 0).factory());
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final java.util.Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> provisioned = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile String installation;
    private static final java.time.format.DateTimeFormatter UNTIL =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @Autowired
    Environments(EnvironmentStore store, List<EnvironmentRuntime> runtimes, ApplicationEventPublisher events,
            OrchestratorProperties properties) {
        this(store, runtimes, events, properties, Clock.systemUTC());
    }

    Environments(EnvironmentStore store, List<EnvironmentRuntime> runtimes, ApplicationEventPublisher events,
            OrchestratorProperties properties, Clock clock) {
        this.store = store;
        this.runtimes = List.copyOf(runtimes);
        this.events = events;
        this.properties = properties;
        this.clock = clock;
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
        return locked("quota:" + owner, () -> {
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
        EnvironmentRuntime runtime = runtimeFor(kind);
        List<String> warnings = new ArrayList<>(resolution.warnings());
        warnings.addAll(runtime.check(resolution));
        String name = spec.name() == null || spec.name().isBlank() ? freeName(owner, resolution.image().id())
                : spec.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException("the name \"" + name + "\" is not allowed: use 1 to 63 letters, digits, "
                    + "spaces, dots, dashes or underscores, starting with a letter or digit");
        }
        Instant now = clock.instant();
        Instant expires = expiry(spec, now);
        Environment e = Environment.builder().id(UUID.randomUUID().toString()).owner(owner).name(name)
                .imageId(resolution.image().id()).kind(kind).state(EnvironmentState.REQUESTED)
                .stateReason("requested by " + owner).progressText("queued").displayPassword(password())
                .spec(spec.name() == null ? spec.toBuilder().name(name).build() : spec).warnings(warnings).at(now)
                .expiresAt(expires).displayProtocol(runtime.displayProtocol(resolution)).build();
        return submit(e, owner, resolution, EnvironmentRuntime::create);
    }

    /** How provisioning creates an environment's resources: from a catalog image, or from a snapshot. */
    @FunctionalInterface
    private interface Creator {
        RuntimeHandle create(EnvironmentRuntime runtime, RuntimeRequest request);
    }

    /** Stores a new environment (REQUESTED) and provisions it in the background. */
    private Environment submit(Environment e, String owner, Resolution resolution, Creator creator) {
        inFlight.add(e.id());
        var done = new java.util.concurrent.CompletableFuture<Void>();
        provisioned.put(e.id(), done);
        try {
            store.insert(e, owner);
        } catch (RuntimeException ex) {
            inFlight.remove(e.id());
            provisioned.remove(e.id());
            throw ex;
        }
        publish(e, null, owner);
        provisioning.submit(() -> {
            try {
                provision(e.id(), resolution, owner, creator);
            } finally {
                inFlight.remove(e.id());
                provisioned.remove(e.id());
                done.complete(null);
            }
        });
        return e;
    }

    public Optional<Environment> find(String id) {
        return id == null ? Optional.empty() : store.find(id);
    }

    public List<Environment> listByOwner(String owner) {
        return store.listByOwner(owner);
    }

    public List<Environment> listAll() {
        return store.listAll();
    }

    /** Every recorded state change of an environment, oldest first. */
    public List<EnvironmentEvent> history(String id) {
        get(id);
        return store.events(id);
    }

    /** The longer texts kept with the environment's history (build logs of its image layers), oldest first. */
    public List<EnvironmentLog> logs(String id) {
        get(id);
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
        EnvironmentRuntime runtime = runtimeFor(resolution.image().kind());
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
        return locked(id, () -> {
            Environment e = get(id);
            e.state().checkMoveTo(EnvironmentState.STOPPED);
            runtimeFor(e.kind()).stop(handle(e));
            return move(e, EnvironmentState.STOPPED, "stopped by " + actor, actor, null, 0);
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
        return withinQuota(id, quota, () -> revert(id, snapshotName, actor));
    }

    /** Checks the quota of the environment's owner as if it were launched now, with the others as they are. */
    private Environment withinQuota(String id, Quota quota, java.util.function.Supplier<Environment> action) {
        Environment e = get(id);
        return locked("quota:" + e.owner(), () -> {
            Environment now = get(id);
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
        return locked(id, () -> {
            Environment e = get(id);
            e.state().checkMoveTo(EnvironmentState.RUNNING);
            EnvironmentRuntime runtime = runtimeFor(e.kind());
            try {
                e = progress(e, 50, "starting");
                runtime.start(handle(e));
                e = progress(e, 75, "waiting for the display");
                InetSocketAddress display = awaitDisplay(runtime, handle(e));
                e = e.withProgress(100, "running");
                return move(e, EnvironmentState.RUNNING, "started by " + actor, actor, host(display), port(display));
            } catch (RuntimeException ex) {
                String reason = reason(ex);
                try {
                    runtime.stop(handle(e));
                } catch (RuntimeException stopFailure) {
                    log.warn("could not stop {} after its failed start: {}", id, stopFailure.toString());
                }
                move(e, EnvironmentState.FAILED, reason, actor, null, 0);
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
        return locked(id, () -> {
            Environment e = get(id);
            if (e.state() != EnvironmentState.RUNNING) {
                throw new IllegalTransitionException(e.state(), "cannot reboot an environment that is "
                        + e.state().label() + " (only running ones" + (e.state() == EnvironmentState.STOPPED
                                ? "; start it instead)" : ")"));
            }
            EnvironmentRuntime runtime = runtimeFor(e.kind());
            try {
                runtime.reboot(handle(e));
                InetSocketAddress display = awaitDisplay(runtime, handle(e));
                Environment next = e.withDisplay(host(display), port(display));
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
                move(e, EnvironmentState.FAILED, why, actor, null, 0);
                throw ex instanceof OrchestratorException oe ? oe : new RuntimeFailureException(why, ex);
            }
        });
    }

    /**
     * Removes the environment's resources from the runtime (its snapshots too); the record stays, DESTROYED. Called while the
     * environment is still being provisioned, it waits for provisioning to end first.
     */
    public Environment destroy(String id, String actor) {
        awaitProvisioning(id);
        return locked(id, () -> {
            Environment e = get(id);
            e.state().checkMoveTo(EnvironmentState.DESTROYED);
            runtimeFor(e.kind()).destroy(handle(e));
            return move(e.withRuntimeRef(null), EnvironmentState.DESTROYED, "destroyed by " + actor, actor, null, 0);
        });
    }

    /** A destroy during provisioning waits for it to end (RUNNING or FAILED), then destroys. */
    private void awaitProvisioning(String id) {
        var done = provisioned.get(id);
        if (done == null) {
            return;
        }
        try {
            done.get(properties.displayTimeout().toSeconds() + 60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("interrupted while waiting for the environment to finish provisioning");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            throw new RuntimeFailureException("the environment is still provisioning; try again in a minute");
        }
    }

    /** Runs a command in a RUNNING environment. */
    public ExecResult exec(String id, String... command) {
        Environment e = get(id);
        if (e.state() != EnvironmentState.RUNNING) {
            throw new IllegalTransitionException(e.state(), EnvironmentState.RUNNING);
        }
        if (command.length == 0) {
            throw new InvalidRequestException("exec needs a command");
        }
        return runtimeFor(e.kind()).exec(handle(e), command);
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
        Environment e = get(id);
        if (e.state() != EnvironmentState.RUNNING) {
            throw new InvalidRequestException("the environment " + e.name() + " is " + e.state().label()
                    + ", not running: start it to open its terminal");
        }
        return runtimeFor(e.kind()).attachTerminal(handle(e), columns, rows, output);
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
        Snapshot.checkName(name);
        return locked(id, () -> {
            Environment e = snapshottable(get(id), "take a snapshot of");
            EnvironmentRuntime runtime = runtimeFor(e.kind());
            if (runtime.snapshots(handle(e)).stream().anyMatch(s -> s.name().equals(name))) {
                throw new InvalidRequestException("environment " + e.name() + " already has a snapshot named \""
                        + name + "\"; choose another name or delete that one first");
            }
            Snapshot snapshot = runtime.snapshot(handle(e), name, "taken by " + actor);
            store.note(e, clock.instant(), actor, "snapshot " + name + " taken by " + actor);
            return snapshot;
        });
    }

    /**
     * The environment's snapshots, oldest first; empty unless it is running or stopped (before provisioning ended
     * and after destroy there are none).
     */
    public List<Snapshot> snapshots(String id) {
        Environment e = get(id);
        if (e.state() != EnvironmentState.RUNNING && e.state() != EnvironmentState.STOPPED) {
            return List.of();
        }
        return runtimeFor(e.kind()).snapshots(handle(e));
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
        Snapshot.checkName(snapshotName);
        return locked(id, () -> {
            Environment e = snapshottable(get(id), "revert");
            EnvironmentRuntime runtime = runtimeFor(e.kind());
            requireSnapshot(runtime, e, snapshotName);
            String reason = "reverted to snapshot " + snapshotName + " by " + actor;
            RuntimeHandle handle = runtime.revert(handle(e), snapshotName);
            if (handle != null && !Objects.equals(handle.ref(), e.runtimeRef())) {
                e = e.withRuntimeRef(handle.ref());
                store.update(e, e.state(), actor);
            } else {
                handle = handle(e);
            }
            boolean running = runtime.inspect(handle).map(RuntimeStatus::running).orElse(false);
            if (!running) {
                if (e.state() == EnvironmentState.RUNNING) {
                    return move(e, EnvironmentState.STOPPED, reason, actor, null, 0);
                }
                store.note(e, clock.instant(), actor, reason);
                return e;
            }
            InetSocketAddress display;
            try {
                display = awaitDisplay(runtime, handle);
            } catch (RuntimeException ex) {
                String why = "after the revert to snapshot " + snapshotName + ": " + reason(ex);
                try {
                    runtime.stop(handle);
                } catch (RuntimeException stopFailure) {
                    log.warn("could not stop {} after its failed revert: {}", id, stopFailure.toString());
                }
                move(e, EnvironmentState.FAILED, why, actor, null, 0);
                throw ex instanceof OrchestratorException oe ? oe : new RuntimeFailureException(why, ex);
            }
            if (e.state() == EnvironmentState.STOPPED) {
                return move(e.withProgress(100, "running"), EnvironmentState.RUNNING, reason, actor,
                        host(display), port(display));
            }
            Environment next = e.withDisplay(host(display), port(display)); // null for a terminal-only one
            store.update(next, EnvironmentState.RUNNING, actor);
            store.note(next, clock.instant(), actor, reason);
            return next;
        });
    }

    /**
     * Deletes one snapshot of the environment, recorded as "snapshot NAME deleted by ACTOR"; the environment stays as
     * it is.
     *
     * @throws SnapshotNotFoundException when it has no snapshot of that name (nothing changed)
     */
    public void deleteSnapshot(String id, String name, String actor) {
        Snapshot.checkName(name);
        locked(id, () -> {
            Environment e = snapshottable(get(id), "delete a snapshot of");
            EnvironmentRuntime runtime = runtimeFor(e.kind());
            requireSnapshot(runtime, e, name);
            runtime.deleteSnapshot(handle(e), name);
            store.note(e, clock.instant(), actor, "snapshot " + name + " deleted by " + actor);
            return null;
        });
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
        if (owner == null || owner.isBlank()) {
            throw new InvalidRequestException("an environment needs an owner");
        }
        Snapshot.checkName(snapshotName);
        Environment source = get(sourceId);
        if (source.kind() == Kind.VM) {
            throw new InvalidRequestException(
                    "restoring a VM snapshot into a new VM is not supported yet; revert it in place");
        }
        snapshottable(source, "restore a snapshot of");
        EnvironmentRuntime runtime = runtimeFor(source.kind());
        requireSnapshot(runtime, source, snapshotName);
        EnvironmentSpec sourceSpec = source.spec();
        return locked("quota:" + owner, () -> {
            quota.check(owner, Quota.Usage.of(store.listByOwner(owner)), sourceSpec.resources());
            String base = source.name() + "-from-" + snapshotName;
            base = base.length() > 56 ? base.substring(0, 56).replaceAll("[ ._-]+$", "") : base;
            String wanted = base;
            boolean taken = store.listByOwner(owner).stream().anyMatch(
                    other -> other.state() != EnvironmentState.DESTROYED && other.name().equals(wanted));
            String name = taken ? freeName(owner, base) : base;
            EnvironmentSpec spec = sourceSpec.toBuilder().name(name).build();
            Resolution resolution = new Resolution(spec, imageOfSource(source, spec), List.of());
            Instant now = clock.instant();
            List<String> warnings = new ArrayList<>(source.warnings());
            Environment e = Environment.builder().id(UUID.randomUUID().toString()).owner(owner).name(name)
                    .imageId(source.imageId()).kind(source.kind()).state(EnvironmentState.REQUESTED)
                    .stateReason("restored from snapshot " + snapshotName + " of " + source.name() + " ("
                            + source.id() + ") by " + owner)
                    .progressText("queued").displayPassword(password()).spec(spec).warnings(warnings).at(now)
                    .expiresAt(expiry(spec, now)).displayProtocol(source.displayProtocol()).build();
            RuntimeHandle from = handle(source);
            return submit(e, owner, resolution, (r, request) -> r.createFromSnapshot(from, snapshotName, request));
        });
    }

    /** The catalog image a restored environment is described by: the source's, with the runtime's reference unset. */
    private static CatalogImage imageOfSource(Environment source, EnvironmentSpec spec) {
        List<Protocol> protocols = spec.streaming() == null || spec.streaming().protocol() == null ? List.of()
                : List.of(spec.streaming().protocol());
        return new CatalogImage(source.imageId(), source.kind(), spec.os(), spec.desktopOrNone(), protocols,
                spec.resources(), spec.packagesOrEmpty(), null, 0, "restored from a snapshot of " + source.name());
    }

    private static Environment snapshottable(Environment e, String what) {
        if (e.state() != EnvironmentState.RUNNING && e.state() != EnvironmentState.STOPPED) {
            throw new IllegalTransitionException(e.state(), "cannot " + what + " an environment that is "
                    + e.state().label() + " (only running or stopped ones)");
        }
        return e;
    }

    private static void requireSnapshot(EnvironmentRuntime runtime, Environment e, String name) {
        if (runtime.snapshots(handle(e)).stream().noneMatch(s -> s.name().equals(name))) {
            throw new SnapshotNotFoundException(e.id(), name);
        }
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
        if (by == null || by.isNegative() || by.isZero()) {
            throw new InvalidRequestException("an extension must be a positive duration");
        }
        return locked(id, () -> {
            Environment e = get(id);
            if (e.state() == EnvironmentState.DESTROYED || e.state() == EnvironmentState.FAILED) {
                throw new IllegalTransitionException(e.state(), "cannot extend the lifetime of an environment that is "
                        + e.state().label());
            }
            if (e.expiresAt() == null) {
                throw new InvalidRequestException("environment " + e.name() + " has no end of lifetime to extend");
            }
            Instant now = clock.instant();
            Instant from = e.expiresAt().isAfter(now) ? e.expiresAt() : now;
            Instant until = from.plus(by);
            Instant latest = longest == null ? null : e.createdAt().plus(longest);
            if (latest != null && until.isAfter(latest)) {
                String most = latest.isAfter(from)
                        ? "; the most it can be extended now is " + PolicyGate.human(Duration.between(from, latest)
                                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
                        : "; it cannot be extended any more";
                throw new InvalidRequestException("an environment may live at most " + PolicyGate.human(longest)
                        + " from its creation (until " + UNTIL.format(latest) + ")" + most);
            }
            Environment next = e.withExpiresAt(until);
            String reason = "lifetime extended by " + PolicyGate.human(by) + " (until " + UNTIL.format(until) + ") by "
                    + actor;
            if (!store.extendLifetime(next, e.expiresAt(), actor, reason)) {
                throw new IllegalTransitionException(get(id).state(), "the environment changed meanwhile; try again");
            }
            return get(id);
        });
    }

    /** Destroys every environment whose lifetime has ended at {@code now}; returns how many. For a scheduler. */
    public int destroyExpired(Instant now) {
        int n = 0;
        for (Environment e : store.listAll()) {
            if (e.expiresAt() != null && !e.expiresAt().isAfter(now) && e.state().canMoveTo(EnvironmentState.DESTROYED)) {
                destroy(e.id(), "genos (lifetime ended)");
                n++;
            }
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
        List<String> changes = new ArrayList<>();
        for (Environment record : store.listAll()) {
            if (record.state() == EnvironmentState.DESTROYED || record.state() == EnvironmentState.FAILED
                    || inFlight.contains(record.id())) {
                continue;
            }
            try {
                String change = locked(record.id(), () -> reconcile(get(record.id()), actor));
                if (change != null) {
                    changes.add(change);
                }
            } catch (RuntimeException ex) {
                changes.add(record.id() + ": could not reconcile: " + reason(ex));
            }
        }
        String installation = installationId();
        for (EnvironmentRuntime runtime : runtimes) {
            try {
                for (RuntimeStatus s : runtime.listByLabels(Map.of())) {
                    try {
                        String change = s.environmentId() == null ? null
                                : locked(s.environmentId(), () -> reconcileResource(runtime, s, installation, actor));
                        if (change != null) {
                            changes.add(change);
                        }
                    } catch (RuntimeException ex) {
                        changes.add(s.environmentId() + ": could not reconcile its resource " + s.ref() + ": "
                                + reason(ex));
                    }
                }
            } catch (RuntimeException ex) {
                changes.add("could not list the runtime's resources: " + reason(ex));
            }
            try {
                for (Map.Entry<String, String> stored : runtime.storedByEnvironment().entrySet()) {
                    try {
                        String change = locked(stored.getKey(), () -> sweepStored(runtime, stored.getKey(),
                                stored.getValue(), installation, actor));
                        if (change != null) {
                            changes.add(change);
                        }
                    } catch (RuntimeException ex) {
                        changes.add(stored.getKey() + ": could not remove what is stored for it: " + reason(ex));
                    }
                }
            } catch (RuntimeException ex) {
                changes.add("could not list what the runtime stores: " + reason(ex));
            }
        }
        return changes;
    }

    /**
     * What the runtime stores for an environment (snapshot images) whose record is DESTROYED, or FAILED without a
     * runtime ref, is removed when it carries this installation's id; for no record at all it is reported (nothing
     * to adopt without the environment itself).
     */
    private String sweepStored(EnvironmentRuntime runtime, String id, String itsInstallation, String installation,
            String actor) {
        Optional<Environment> record = store.find(id);
        if (record.isPresent() && !(record.get().state() == EnvironmentState.DESTROYED
                || record.get().state() == EnvironmentState.FAILED && record.get().runtimeRef() == null)) {
            return null;
        }
        if (record.isEmpty() || !installation.equals(itsInstallation)) {
            return "orphan snapshots of environment " + id + " have no live record here (left alone)";
        }
        runtime.destroy(new RuntimeHandle(id, null));
        String why = "removed its leftover snapshots: the environment is " + record.get().state().label()
                + " (an earlier cleanup had not finished)";
        store.note(record.get(), clock.instant(), actor, why);
        return id + ": " + why;
    }

    /** The id of this installation (its database), carried by every resource it creates. */
    public String installationId() {
        String id = installation;
        if (id == null) {
            id = store.installationId();
            installation = id;
        }
        return id;
    }

    /** What a resource must carry for reconcile to adopt it if its record is lost. */
    private Map<String, String> adoptionLabels(Environment e) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put(EnvironmentRuntime.LABEL_INSTALLATION, installationId());
        labels.put(EnvironmentRuntime.LABEL_NAME, e.name());
        labels.put(EnvironmentRuntime.LABEL_EXPIRES_AT, e.expiresAt() == null ? "" : e.expiresAt().toString());
        labels.put(EnvironmentRuntime.LABEL_SPEC, EnvironmentStore.specJson(e.spec()));
        return labels;
    }

    /** One resource the runtime reports: adopted, removed, reported or (when its record is live) left as it is. */
    private String reconcileResource(EnvironmentRuntime runtime, RuntimeStatus s, String installation, String actor) {
        String id = s.environmentId();
        Optional<Environment> record = store.find(id);
        boolean leftover = record.isPresent() && (record.get().state() == EnvironmentState.DESTROYED
                || record.get().state() == EnvironmentState.FAILED && record.get().runtimeRef() == null);
        if (record.isPresent() && !leftover) {
            return null;
        }
        String what = runtimeWord(runtime);
        if (!installation.equals(s.labels().get(EnvironmentRuntime.LABEL_INSTALLATION))) {
            String theirs = s.labels().get(EnvironmentRuntime.LABEL_INSTALLATION);
            return "orphan " + what + " " + s.ref() + " of environment " + id + " has no live record here and belongs to "
                    + (theirs == null || theirs.isBlank() ? "no known installation" : "installation " + theirs)
                    + " (left alone)";
        }
        RuntimeHandle handle = new RuntimeHandle(id, s.ref());
        Instant now = clock.instant();
        if (leftover) {
            Environment e = record.get();
            runtime.destroy(handle);
            String why = "removed its leftover " + what + " " + s.ref() + ": the environment is " + e.state().label()
                    + " (an earlier cleanup had not finished)";
            store.note(e, now, actor, why);
            return id + ": " + why;
        }
        Instant expiresAt;
        EnvironmentSpec spec;
        try {
            String expires = s.labels().getOrDefault(EnvironmentRuntime.LABEL_EXPIRES_AT, "");
            expiresAt = expires.isBlank() ? null : Instant.parse(expires);
            spec = EnvironmentStore.spec(s.labels().get(EnvironmentRuntime.LABEL_SPEC));
        } catch (RuntimeException unreadable) {
            return "orphan " + what + " " + s.ref() + " of environment " + id
                    + " has no record here and its labels do not say enough to adopt it (left alone)";
        }
        String owner = s.labels().get(EnvironmentRuntime.LABEL_OWNER);
        String name = s.labels().getOrDefault(EnvironmentRuntime.LABEL_NAME, spec == null ? null : spec.name());
        String imageId = s.labels().get(EnvironmentRuntime.LABEL_IMAGE);
        if (spec == null || owner == null || owner.isBlank() || name == null || name.isBlank() || imageId == null) {
            return "orphan " + what + " " + s.ref() + " of environment " + id
                    + " has no record here and its labels do not say enough to adopt it (left alone)";
        }
        Kind kind = java.util.Arrays.stream(Kind.values()).filter(runtime::supports).findFirst().orElse(Kind.CONTAINER);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            runtime.destroy(handle);
            String why = "its " + what + " " + s.ref() + " was found with no record here after its lifetime ended ("
                    + expiresAt + "): removed by reconcile";
            insertFound(Environment.builder().id(id).owner(owner).name(name).imageId(imageId).kind(kind)
                    .state(EnvironmentState.DESTROYED).stateReason(why).spec(spec).at(now).expiresAt(expiresAt)
                    .displayProtocol(s.displayProtocol()).build(), actor);
            return id + ": removed (no record, lifetime ended " + expiresAt + ")";
        }
        boolean running = s.running();
        String password = runtime.displayPassword(handle).orElse(null);
        InetSocketAddress display = running ? s.display() : null;
        String why = "adopted by reconcile: its " + what + " " + s.ref() + " was found " + (running ? "running" : "stopped")
                + " with no record here" + (password == null ? " (its display password could not be read back)" : "");
        // the display protocol as the runtime found it: an adopted SPICE VM stays SPICE
        Environment e = insertFound(Environment.builder().id(id).owner(owner).name(name).imageId(imageId).kind(kind)
                .state(running ? EnvironmentState.RUNNING : EnvironmentState.STOPPED).stateReason(why)
                .progress(running ? 100 : 0).progressText(running ? "running" : null).runtimeRef(s.ref())
                .display(host(display), port(display)).displayPassword(password).spec(spec).at(now)
                .expiresAt(expiresAt).displayProtocol(s.displayProtocol()).build(), actor);
        publish(e, null, actor);
        return id + ": adopted " + (running ? "running" : "stopped") + " as " + owner + "/" + e.name();
    }

    /** Inserts a record for a resource found without one; a name the owner already uses gets {@code -N} added. */
    private Environment insertFound(Environment e, String actor) {
        try {
            store.insert(e, actor);
            return e;
        } catch (InvalidRequestException nameTaken) {
            Environment renamed = e.toBuilder().name(freeName(e.owner(), e.name())).build();
            store.insert(renamed, actor);
            return renamed;
        }
    }

    private static String runtimeWord(EnvironmentRuntime runtime) {
        return runtime.supports(Kind.VM) ? "VM" : "container";
    }

    private String reconcile(Environment e, String actor) {
        EnvironmentRuntime runtime = runtimeFor(e.kind());
        switch (e.state()) {
            case REQUESTED, PROVISIONING -> {
                if (inFlight.contains(e.id())) {
                    return null;
                }
                runtime.destroy(handle(e));
                move(e.withRuntimeRef(null), EnvironmentState.FAILED,
                        "GenOS restarted while it was " + e.state().label() + "; launch it again", actor, null, 0);
                return e.id() + ": " + e.state().label() + " -> failed (interrupted by a restart)";
            }
            case RUNNING -> {
                Optional<RuntimeStatus> status = runtime.inspect(handle(e));
                if (status.isEmpty()) {
                    move(e, EnvironmentState.FAILED, "its " + (e.kind() == Kind.VM ? "VM" : "container")
                            + " disappeared from the runtime", actor, null, 0);
                    return e.id() + ": running -> failed (gone from the runtime)";
                }
                if (!status.get().running()) {
                    move(e, EnvironmentState.STOPPED, (status.get().exitCode() == null ? "found stopped" : "found stopped (exit code " + status.get().exitCode() + ")"),
                            actor, null, 0);
                    return e.id() + ": running -> stopped (found stopped)";
                }
                InetSocketAddress d = status.get().display();
                if (d != null && (!d.getHostString().equals(e.displayHost()) || d.getPort() != e.displayPort())) {
                    store.update(e.withDisplay(d.getHostString(), d.getPort()), EnvironmentState.RUNNING, actor);
                    return e.id() + ": display moved to " + d.getHostString() + ":" + d.getPort();
                }
                return null;
            }
            case STOPPED -> {
                if (runtime.inspect(handle(e)).isEmpty()) {
                    move(e, EnvironmentState.FAILED, "its " + (e.kind() == Kind.VM ? "VM" : "container")
                            + " disappeared from the runtime", actor, null, 0);
                    return e.id() + ": stopped -> failed (gone from the runtime)";
                }
                return null;
            }
            default -> {
                return null;
            }
        }
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
        provisioning.shutdownNow();
        try {
            provisioning.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void provision(String id, Resolution resolution, String owner, Creator creator) {
        locked(id, () -> {
            Environment e = get(id);
            RuntimeHandle handle = new RuntimeHandle(id, null);
            EnvironmentRuntime runtime = runtimeFor(e.kind());
            try {
                String creating = e.kind() == Kind.VM ? "creating the virtual machine" : "creating the container";
                e = move(e.withProgress(resolution.composed() ? 2 : 10, resolution.composed()
                                ? "composing the image: " + String.join(", then ", resolution.composition().layerNames())
                                : creating),
                        EnvironmentState.PROVISIONING,
                        "provisioning " + e.imageId(), "genos", null, 0);
                publishProgress(e);
                ProgressOfBuild listener = new ProgressOfBuild(e);
                Resolution composed = runtime.compose(resolution, listener);
                if (listener.changed()) {
                    e = progress(listener.current(), 45, creating);
                }
                handle = creator.create(runtime, new RuntimeRequest(id, owner, e.name(), composed,
                        e.displayPassword(), adoptionLabels(e)));
                e = e.withRuntimeRef(handle.ref());
                e = progress(e, 50, "starting");
                runtime.start(handle);
                e = progress(e, 75, "waiting for the display");
                InetSocketAddress display = awaitDisplay(runtime, handle);
                e = e.withProgress(100, "running");
                return move(e, EnvironmentState.RUNNING, display == null ? "it runs (terminal only, no display)"
                        : "the display answers", "genos", host(display), port(display));
            } catch (RuntimeException ex) {
                String reason = reason(ex);
                if (ex instanceof OrchestratorException) {
                    log.info("environment {} failed: {}", id, reason);
                } else {
                    log.warn("environment {} failed: {}", id, reason, ex);
                }
                try {
                    runtime.destroy(handle);
                } catch (RuntimeException cleanup) {
                    log.warn("could not clean up after {} failed: {}", id, cleanup.toString());
                }
                Environment current = store.find(id).orElse(e);
                if (current.state().canMoveTo(EnvironmentState.FAILED)) {
                    move(current.withRuntimeRef(null), EnvironmentState.FAILED, reason, "genos", null, 0);
                }
                return current;
            }
        });
    }

    private static String host(InetSocketAddress display) {
        return display == null ? null : display.getHostString();
    }

    private static int port(InetSocketAddress display) {
        return display == null ? 0 : display.getPort();
    }

    /** Waits until the display answers; null for a headless environment, which is ready once it runs. */
    private InetSocketAddress awaitDisplay(EnvironmentRuntime runtime, RuntimeHandle handle) {
        Duration timeout = properties.displayTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no address yet";
        while (true) {
            RuntimeStatus status = runtime.inspect(handle).orElseThrow(
                    () -> new RuntimeFailureException("the environment disappeared while starting"));
            if (!status.running()) {
                String tail = runtime.logTail(handle, 15).strip();
                throw new RuntimeFailureException("the environment stopped while starting"
                        + (status.exitCode() == null ? "" : " (exit code " + status.exitCode() + ")")
                        + (tail.isEmpty() ? "" : "; its last output: " + tail));
            }
            if (status.headless()) {
                return null;
            }
            if (status.display() != null) {
                try {
                    if (status.displayProtocol() == io.genos.spec.Streaming.Protocol.SPICE) {
                        SpiceProbe.link(status.display(), 1000);
                    } else if (status.displayProtocol() == io.genos.spec.Streaming.Protocol.RDP) {
                        RdpProbe.connect(status.display(), 1000);
                    } else {
                        RfbProbe.banner(status.display(), 1000);
                    }
                    return status.display();
                } catch (IOException ex) {
                    last = status.display().getHostString() + ":" + status.display().getPort() + ": " + ex.getMessage();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new RuntimeFailureException("the display did not answer within " + timeout.toSeconds()
                        + " s (last attempt: " + last + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailureException("GenOS stopped while waiting for the display");
            }
        }
    }

    private Environment move(Environment e, EnvironmentState to, String reason, String actor, String displayHost,
            int displayPort) {
        EnvironmentState from = e.state();
        from.checkMoveTo(to);
        Environment next = e.withState(to, reason, clock.instant()).withDisplay(displayHost, displayPort);
        if (!store.update(next, from, actor)) {
            EnvironmentState now = store.find(e.id()).map(Environment::state).orElse(from);
            throw new IllegalTransitionException(now, to);
        }
        publish(next, from, actor);
        return next;
    }

    /**
     * Shows a composition's build in the environment's progress (at most once a second in the database) and keeps a
     * note and the build log of each layer in its history.
     */
    private final class ProgressOfBuild implements BuildListener {
        private Environment current;
        private long lastWrite;
        private boolean changed;

        ProgressOfBuild(Environment e) {
            current = e;
        }

        synchronized Environment current() {
            return current;
        }

        /** Whether anything was pulled or built (the progress moved). */
        synchronized boolean changed() {
            return changed;
        }

        @Override
        public synchronized void pulled(String reference) {
            store.note(current, clock.instant(), "genos", "the image " + reference + ": pulled from its registry");
        }

        @Override
        public synchronized void progress(BuildProgress p) {
            long now = System.nanoTime();
            if (now - lastWrite < 1_000_000_000L && !"saving".equals(p.phase()) && !"pulled".equals(p.phase())) {
                return;
            }
            lastWrite = now;
            changed = true;
            current = Environments.this.progress(current, 2 + p.overallPercent() * 43 / 100, p.describe());
        }

        @Override
        public synchronized void layerReady(String layerName, String image, boolean fromCache, String log) {
            store.note(current, clock.instant(), "genos", fromCache ? layerName + ": taken from the image cache (" + image + ")"
                    : layerName + ": built (" + image + ")");
            try {
                events.publishEvent(new ImageLayerReady(current.id(), image, fromCache, clock.instant()));
            } catch (RuntimeException ex) {
                Environments.log.warn("a listener of layer {} failed: {}", image, ex.toString());
            }
            if (!log.isBlank()) {
                store.log(current.id(), clock.instant(), "build log of " + layerName, log);
            }
        }

        @Override
        public synchronized void layerFailed(String layerName, String log) {
            if (!log.isBlank()) {
                store.log(current.id(), clock.instant(), "build log of " + layerName + " (failed)", log);
            }
        }
    }

    private Environment progress(Environment e, int progress, String text) {
        if (text != null && text.length() > 200) {
            text = text.substring(0, 199) + "…";
        }
        Environment next = e.withProgress(progress, text);
        store.update(next, e.state(), "genos");
        publishProgress(next);
        return next;
    }

    private void publish(Environment e, EnvironmentState from, String actor) {
        try {
            events.publishEvent(new EnvironmentStateChanged(e.id(), e.owner(), from, e.state(), e.stateReason(), actor,
                    e.updatedAt()));
        } catch (RuntimeException ex) {
            log.warn("a listener of {} failed: {}", e.id(), ex.toString());
        }
    }

    private void publishProgress(Environment e) {
        try {
            events.publishEvent(new EnvironmentProgress(e.id(), e.owner(), e.progress(), e.progressText(),
                    clock.instant()));
        } catch (RuntimeException ex) {
            log.warn("a progress listener of {} failed: {}", e.id(), ex.toString());
        }
    }

    private <T> T locked(String id, java.util.function.Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private Environment get(String id) {
        return find(id).orElseThrow(() -> new EnvironmentNotFoundException(id));
    }

    private EnvironmentRuntime runtimeFor(Kind kind) {
        return runtimes.stream().filter(r -> r.supports(kind)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("GenOS cannot run " + (kind == null ? "this"
                        : kind == Kind.VM ? "virtual machines" : kind.json() + "s") + " here yet (no runtime for it)"));
    }

    private static RuntimeHandle handle(Environment e) {
        return new RuntimeHandle(e.id(), e.runtimeRef());
    }

    private String freeName(String owner, String base) {
        List<String> taken = store.listByOwner(owner).stream()
                .filter(e -> e.state() != EnvironmentState.DESTROYED).map(Environment::name).toList();
        for (int i = 1; ; i++) {
            String candidate = base + "-" + i;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    private static Instant expiry(EnvironmentSpec spec, Instant now) {
        String ttl = spec.lifetime() == null ? null : spec.lifetime().ttl();
        if (ttl == null || ttl.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.parse(ttl);
            if (d.isNegative() || d.isZero()) {
                throw new InvalidRequestException("the lifetime " + ttl + " must be positive");
            }
            return now.plus(d);
        } catch (DateTimeException notADuration) {
            try {
                Period p = Period.parse(ttl);
                if (p.isNegative() || p.isZero()) {
                    throw new InvalidRequestException("the lifetime " + ttl + " must be positive");
                }
                return now.atOffset(ZoneOffset.UTC).plus(p).toInstant();
            } catch (DateTimeException notAPeriod) {
                throw new InvalidRequestException("the lifetime \"" + ttl
                        + "\" is not an ISO-8601 duration such as PT8H or P2D");
            }
        }
    }

    private String password() {
        StringBuilder b = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            b.append(PASSWORD_CHARS.charAt(random.nextInt(PASSWORD_CHARS.length())));
        }
        return b.toString();
    }

    private static String reason(RuntimeException ex) {
        if (ex instanceof OrchestratorException) {
            return ex.getMessage();
        }
        return "unexpected error: " + Objects.requireNonNullElse(ex.getMessage(), ex.getClass().getSimpleName());
    }
}
