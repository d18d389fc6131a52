package io.genos.orchestrator;

import io.genos.spec.Kind;
import io.genos.spec.catalog.Resolution;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A runtime in memory for the service's unit tests only (the Docker adapter is tested against dockerd). Its
 * "display" is a real local socket that sends an RFB banner while {@link #displayAnswers} is true.
 */
final class FakeRuntime implements EnvironmentRuntime, AutoCloseable {
    final Map<String, Boolean> running = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String failCreateWith;
    volatile boolean displayAnswers = true;
    /** Reports environments as terminal-only (no display at all), like a catalog image with displayPort 0. */
    volatile boolean headless;
    /** When true it keeps snapshots in memory (a snapshot remembers whether it ran); else the port's default refuses. */
    volatile boolean snapshotting;
    /** ref → name → (snapshot, whether it was running). */
    final Map<String, Map<String, Map.Entry<Snapshot, Boolean>>> snapshots = new ConcurrentHashMap<>();
    /** When true a revert replaces the resource (a new ref, as Docker does), else it keeps it (as libvirt does). */
    volatile boolean revertReplaces;
    /** What {@link #listByLabels} reports besides nothing: resources "found" in the runtime. */
    final List<RuntimeStatus> found = new CopyOnWriteArrayList<>();
    /** Display passwords by environment id, as {@link #displayPassword} reads them back. */
    final Map<String, String> passwords = new ConcurrentHashMap<>();
    /** What {@link #storedByEnvironment} reports: environment id → installation; destroy removes the entry. */
    final Map<String, String> stored = new ConcurrentHashMap<>();
    /** Every create request, in order. */
    final List<RuntimeRequest> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket display;

    FakeRuntime() throws IOException {
        display = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!display.isClosed()) {
                try (Socket s = display.accept(); OutputStream out = s.getOutputStream()) {
                    if (displayAnswers) {
                        out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write("HTTP/1.1 400\n".getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException closed) {
                    // closing
                }
            }
        });
    }

    @Override
    public boolean supports(Kind kind) {
        return kind == Kind.CONTAINER;
    }

    @Override
    public List<String> check(Resolution resolution) {
        if (resolution.spec().resources().cpus() > 64) {
            throw new InvalidRequestException("too many CPUs");
        }
        return List.of("fake warning");
    }

    @Override
    public RuntimeHandle create(RuntimeRequest request) {
        calls.add("create " + request.environmentId());
        requests.add(request);
        if (failCreateWith != null) {
            throw new RuntimeFailureException(failCreateWith);
        }
        String ref = "c-" + request.environmentId();
        running.put(ref, false);
        return new RuntimeHandle(request.environmentId(), ref);
    }

    @Override
    public void start(RuntimeHandle handle) {
        calls.add("start " + handle.ref());
        running.put(handle.ref(), true);
    }

    @Override
    public void stop(RuntimeHandle handle) {
        calls.add("stop " + handle.ref());
        running.put(handle.ref(), false);
    }

    /** Set to make the next reboot fail with this reason. */
    volatile String failRebootWith;

    @Override
    public void reboot(RuntimeHandle handle) {
        calls.add("reboot " + handle.ref());
        if (failRebootWith != null) {
            throw new RuntimeFailureException(failRebootWith);
        }
    }

    @Override
    public void destroy(RuntimeHandle handle) {
        calls.add("destroy " + handle.environmentId());
        found.removeIf(s -> handle.environmentId().equals(s.environmentId()));
        stored.remove(handle.environmentId());
        running.remove("c-" + handle.environmentId());
    }

    @Override
    public Optional<RuntimeStatus> inspect(RuntimeHandle handle) {
        Boolean r = handle.ref() == null ? null : running.get(handle.ref());
        if (r == null) {
            return Optional.empty();
        }
        return Optional.of(new RuntimeStatus(handle.ref(), handle.environmentId(), r, r ? null : 0L,
                r && !headless ? new InetSocketAddress("127.0.0.1", display.getLocalPort()) : null, Map.of(), Map.of(),
                headless));
    }

    @Override
    public List<RuntimeStatus> listByLabels(Map<String, String> labels) {
        return found.stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    @Override
    public ExecResult exec(RuntimeHandle handle, String... command) {
        return new ExecResult(0, String.join(" ", command), "");
    }

    @Override
    public String logTail(RuntimeHandle handle, int lines) {
        return "";
    }

    @Override
    public Snapshot snapshot(RuntimeHandle handle, String name, String description) {
        if (!snapshotting) {
            return EnvironmentRuntime.super.snapshot(handle, name, description);
        }
        calls.add("snapshot " + handle.ref() + " " + name);
        Snapshot s = new Snapshot(name, java.time.Instant.now(), description);
        snapshots.computeIfAbsent(handle.ref(), k -> new java.util.LinkedHashMap<>())
                .put(name, Map.entry(s, running.getOrDefault(handle.ref(), false)));
        return s;
    }

    @Override
    public List<Snapshot> snapshots(RuntimeHandle handle) {
        if (!snapshotting) {
            return EnvironmentRuntime.super.snapshots(handle);
        }
        return snapshots.getOrDefault(handle.ref(), Map.of()).values().stream().map(Map.Entry::getKey).toList();
    }

    @Override
    public RuntimeHandle revert(RuntimeHandle handle, String name) {
        if (!snapshotting) {
            EnvironmentRuntime.super.revert(handle, name);
        }
        var s = snapshots.getOrDefault(handle.ref(), Map.of()).get(name);
        if (s == null) {
            throw new SnapshotNotFoundException(handle.environmentId(), name);
        }
        calls.add("revert " + handle.ref() + " " + name);
        if (!revertReplaces) {
            running.put(handle.ref(), s.getValue());
            return handle;
        }
        // like Docker: a new resource from the snapshot, in the state the old one was in
        String next = handle.ref() + "'";
        running.put(next, running.getOrDefault(handle.ref(), false));
        running.remove(handle.ref());
        snapshots.put(next, snapshots.remove(handle.ref()));
        return new RuntimeHandle(handle.environmentId(), next);
    }

    @Override
    public RuntimeHandle createFromSnapshot(RuntimeHandle source, String snapshotName, RuntimeRequest request) {
        if (!snapshotting) {
            return EnvironmentRuntime.super.createFromSnapshot(source, snapshotName, request);
        }
        if (!snapshots.getOrDefault(source.ref(), Map.of()).containsKey(snapshotName)) {
            throw new SnapshotNotFoundException(source.environmentId(), snapshotName);
        }
        calls.add("create-from-snapshot " + source.ref() + " " + snapshotName + " for " + request.environmentId());
        requests.add(request);
        return create(request);
    }

    @Override
    public Map<String, String> storedByEnvironment() {
        return Map.copyOf(stored);
    }

    @Override
    public Optional<String> displayPassword(RuntimeHandle handle) {
        return Optional.ofNullable(passwords.get(handle.environmentId()));
    }

    @Override
    public void deleteSnapshot(RuntimeHandle handle, String name) {
        if (!snapshotting) {
            EnvironmentRuntime.super.deleteSnapshot(handle, name);
        }
        if (snapshots.getOrDefault(handle.ref(), Map.of()).remove(name) == null) {
            throw new SnapshotNotFoundException(handle.environmentId(), name);
        }
        calls.add("delete-snapshot " + handle.ref() + " " + name);
    }

    int displayPort() {
        return display.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        display.close();
    }
}
