package io.genos.orchestrator;

import static io.genos.orchestrator.Transitions.handle;
import static io.genos.orchestrator.Transitions.host;
import static io.genos.orchestrator.Transitions.port;
import static io.genos.orchestrator.Transitions.reason;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Snapshots of environments: take, list, revert, delete, and restore one into a new environment. */
final class EnvironmentSnapshots {
    private static final Logger log = LoggerFactory.getLogger(EnvironmentSnapshots.class);

    private final Transitions t;
    private final Provisioning provisioning;
    private final DisplayReadiness display;

    EnvironmentSnapshots(Transitions transitions, Provisioning provisioning, DisplayReadiness display) {
        this.t = transitions;
        this.provisioning = provisioning;
        this.display = display;
    }

    /** See {@link Environments#snapshot}. */
    Snapshot snapshot(String id, String name, String actor) {
        Snapshot.checkName(name);
        return t.locked(id, () -> {
            Environment e = snapshottable(t.get(id), "take a snapshot of");
            EnvironmentRuntime runtime = t.runtimeFor(e.kind());
            if (runtime.snapshots(handle(e)).stream().anyMatch(s -> s.name().equals(name))) {
                throw new InvalidRequestException("environment " + e.name() + " already has a snapshot named \""
                        + name + "\"; choose another name or delete that one first");
            }
            Snapshot snapshot = runtime.snapshot(handle(e), name, "taken by " + actor);
            t.store().note(e, t.clock().instant(), actor, "snapshot " + name + " taken by " + actor);
            return snapshot;
        });
    }

    /** See {@link Environments#snapshots}. */
    List<Snapshot> snapshots(String id) {
        Environment e = t.get(id);
        if (e.state() != EnvironmentState.RUNNING && e.state() != EnvironmentState.STOPPED) {
            return List.of();
        }
        return t.runtimeFor(e.kind()).snapshots(handle(e));
    }

    /** See {@link Environments#revert(String, String, String)}. */
    Environment revert(String id, String snapshotName, String actor) {
        Snapshot.checkName(snapshotName);
        return t.locked(id, () -> {
            Environment e = snapshottable(t.get(id), "revert");
            EnvironmentRuntime runtime = t.runtimeFor(e.kind());
            requireSnapshot(runtime, e, snapshotName);
            String reason = "reverted to snapshot " + snapshotName + " by " + actor;
            RuntimeHandle handle = runtime.revert(handle(e), snapshotName);
            if (handle != null && !Objects.equals(handle.ref(), e.runtimeRef())) {
                e = e.withRuntimeRef(handle.ref());
                t.store().update(e, e.state(), actor);
            } else {
                handle = handle(e);
            }
            boolean running = runtime.inspect(handle).map(RuntimeStatus::running).orElse(false);
            if (!running) {
                if (e.state() == EnvironmentState.RUNNING) {
                    return t.move(e, EnvironmentState.STOPPED, reason, actor, null, 0);
                }
                t.store().note(e, t.clock().instant(), actor, reason);
                return e;
            }
            InetSocketAddress address;
            try {
                address = display.await(runtime, handle);
            } catch (RuntimeException ex) {
                String why = "after the revert to snapshot " + snapshotName + ": " + reason(ex);
                try {
                    runtime.stop(handle);
                } catch (RuntimeException stopFailure) {
                    log.warn("could not stop {} after its failed revert: {}", id, stopFailure.toString());
                }
                t.move(e, EnvironmentState.FAILED, why, actor, null, 0);
                throw ex instanceof OrchestratorException oe ? oe : new RuntimeFailureException(why, ex);
            }
            if (e.state() == EnvironmentState.STOPPED) {
                return t.move(e.withProgress(100, "running"), EnvironmentState.RUNNING, reason, actor,
                        host(address), port(address));
            }
            Environment next = e.withDisplay(host(address), port(address)); // null for a terminal-only one
            t.store().update(next, EnvironmentState.RUNNING, actor);
            t.store().note(next, t.clock().instant(), actor, reason);
            return next;
        });
    }

    /** See {@link Environments#deleteSnapshot}. */
    void delete(String id, String name, String actor) {
        Snapshot.checkName(name);
        t.locked(id, () -> {
            Environment e = snapshottable(t.get(id), "delete a snapshot of");
            EnvironmentRuntime runtime = t.runtimeFor(e.kind());
            requireSnapshot(runtime, e, name);
            runtime.deleteSnapshot(handle(e), name);
            t.store().note(e, t.clock().instant(), actor, "snapshot " + name + " deleted by " + actor);
            return null;
        });
    }

    /** See {@link Environments#launchFromSnapshot}. */
    Environment launchFrom(String sourceId, String snapshotName, String owner, Quota quota) {
        if (owner == null || owner.isBlank()) {
            throw new InvalidRequestException("an environment needs an owner");
        }
        Snapshot.checkName(snapshotName);
        Environment source = t.get(sourceId);
        if (source.kind() == Kind.VM) {
            throw new InvalidRequestException(
                    "restoring a VM snapshot into a new VM is not supported yet; revert it in place");
        }
        snapshottable(source, "restore a snapshot of");
        EnvironmentRuntime runtime = t.runtimeFor(source.kind());
        requireSnapshot(runtime, source, snapshotName);
        EnvironmentSpec sourceSpec = source.spec();
        return t.locked("quota:" + owner, () -> {
            quota.check(owner, Quota.Usage.of(t.store().listByOwner(owner)), sourceSpec.resources());
            String base = source.name() + "-from-" + snapshotName;
            base = base.length() > 56 ? base.substring(0, 56).replaceAll("[ ._-]+$", "") : base;
            String wanted = base;
            boolean taken = t.store().listByOwner(owner).stream().anyMatch(
                    other -> other.state() != EnvironmentState.DESTROYED && other.name().equals(wanted));
            String name = taken ? t.freeName(owner, base) : base;
            EnvironmentSpec spec = sourceSpec.toBuilder().name(name).build();
            Resolution resolution = new Resolution(spec, imageOfSource(source, spec), List.of());
            Instant now = t.clock().instant();
            List<String> warnings = new ArrayList<>(source.warnings());
            Environment e = Environment.builder().id(UUID.randomUUID().toString()).owner(owner).name(name)
                    .imageId(source.imageId()).kind(source.kind()).state(EnvironmentState.REQUESTED)
                    .stateReason("restored from snapshot " + snapshotName + " of " + source.name() + " ("
                            + source.id() + ") by " + owner)
                    .progressText("queued").displayPassword(provisioning.password()).spec(spec).warnings(warnings)
                    .at(now).expiresAt(Provisioning.expiry(spec, now)).displayProtocol(source.displayProtocol())
                    .build();
            RuntimeHandle from = handle(source);
            return provisioning.submit(e, owner, resolution,
                    (r, request) -> r.createFromSnapshot(from, snapshotName, request));
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
}
