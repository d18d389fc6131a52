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

    @Override
    public void destroy(RuntimeHandle handle) {
        calls.add("destroy " + handle.environmentId());
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
        return List.of();
    }

    @Override
    public ExecResult exec(RuntimeHandle handle, String... command) {
        return new ExecResult(0, String.join(" ", command), "");
    }

    @Override
    public String logTail(RuntimeHandle handle, int lines) {
        return "";
    }

    int displayPort() {
        return display.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        display.close();
    }
}
