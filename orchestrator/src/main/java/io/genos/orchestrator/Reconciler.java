package io.genos.orchestrator;

import static io.genos.orchestrator.Transitions.handle;
import static io.genos.orchestrator.Transitions.host;
import static io.genos.orchestrator.Transitions.port;
import static io.genos.orchestrator.Transitions.reason;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The records brought in line with what the runtimes report (see {@link Environments#reconcile}). */
final class Reconciler {
    private final Transitions t;
    private final Provisioning provisioning;

    Reconciler(Transitions transitions, Provisioning provisioning) {
        this.t = transitions;
        this.provisioning = provisioning;
    }

    List<String> reconcile(String actor) {
        List<String> changes = new ArrayList<>();
        for (Environment record : t.store().listAll()) {
            if (record.state() == EnvironmentState.DESTROYED || record.state() == EnvironmentState.FAILED
                    || provisioning.inFlight(record.id())) {
                continue;
            }
            try {
                String change = t.locked(record.id(), () -> reconcile(t.get(record.id()), actor));
                if (change != null) {
                    changes.add(change);
                }
            } catch (RuntimeException ex) {
                changes.add(record.id() + ": could not reconcile: " + reason(ex));
            }
        }
        String installation = t.installationId();
        for (EnvironmentRuntime runtime : t.runtimes()) {
            try {
                for (RuntimeStatus s : runtime.listByLabels(Map.of())) {
                    try {
                        String change = s.environmentId() == null ? null
                                : t.locked(s.environmentId(), () -> reconcileResource(runtime, s, installation, actor));
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
                        String change = t.locked(stored.getKey(), () -> sweepStored(runtime, stored.getKey(),
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
        Optional<Environment> record = t.store().find(id);
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
        t.store().note(record.get(), t.clock().instant(), actor, why);
        return id + ": " + why;
    }

    /** One resource the runtime reports: adopted, removed, reported or (when its record is live) left as it is. */
    private String reconcileResource(EnvironmentRuntime runtime, RuntimeStatus s, String installation, String actor) {
        String id = s.environmentId();
        Optional<Environment> record = t.store().find(id);
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
        Instant now = t.clock().instant();
        if (leftover) {
            Environment e = record.get();
            runtime.destroy(handle);
            String why = "removed its leftover " + what + " " + s.ref() + ": the environment is " + e.state().label()
                    + " (an earlier cleanup had not finished)";
            t.store().note(e, now, actor, why);
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
        t.publish(e, null, actor);
        return id + ": adopted " + (running ? "running" : "stopped") + " as " + owner + "/" + e.name();
    }

    /** Inserts a record for a resource found without one; a name the owner already uses gets {@code -N} added. */
    private Environment insertFound(Environment e, String actor) {
        try {
            t.store().insert(e, actor);
            return e;
        } catch (InvalidRequestException nameTaken) {
            Environment renamed = e.toBuilder().name(t.freeName(e.owner(), e.name())).build();
            t.store().insert(renamed, actor);
            return renamed;
        }
    }

    private static String runtimeWord(EnvironmentRuntime runtime) {
        return runtime.supports(Kind.VM) ? "VM" : "container";
    }

    private String reconcile(Environment e, String actor) {
        EnvironmentRuntime runtime = t.runtimeFor(e.kind());
        switch (e.state()) {
            case REQUESTED, PROVISIONING -> {
                if (provisioning.inFlight(e.id())) {
                    return null;
                }
                runtime.destroy(handle(e));
                t.move(e.withRuntimeRef(null), EnvironmentState.FAILED,
                        "GenOS restarted while it was " + e.state().label() + "; launch it again", actor, null, 0);
                return e.id() + ": " + e.state().label() + " -> failed (interrupted by a restart)";
            }
            case RUNNING -> {
                Optional<RuntimeStatus> status = runtime.inspect(handle(e));
                if (status.isEmpty()) {
                    t.move(e, EnvironmentState.FAILED, "its " + (e.kind() == Kind.VM ? "VM" : "container")
                            + " disappeared from the runtime", actor, null, 0);
                    return e.id() + ": running -> failed (gone from the runtime)";
                }
                if (!status.get().running()) {
                    t.move(e, EnvironmentState.STOPPED, (status.get().exitCode() == null ? "found stopped" : "found stopped (exit code " + status.get().exitCode() + ")"),
                            actor, null, 0);
                    return e.id() + ": running -> stopped (found stopped)";
                }
                InetSocketAddress d = status.get().display();
                if (d != null && (!d.getHostString().equals(e.displayHost()) || d.getPort() != e.displayPort())) {
                    t.store().update(e.withDisplay(d.getHostString(), d.getPort()), EnvironmentState.RUNNING, actor);
                    return e.id() + ": display moved to " + d.getHostString() + ":" + d.getPort();
                }
                return null;
            }
            case STOPPED -> {
                if (runtime.inspect(handle(e)).isEmpty()) {
                    t.move(e, EnvironmentState.FAILED, "its " + (e.kind() == Kind.VM ? "VM" : "container")
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
}
