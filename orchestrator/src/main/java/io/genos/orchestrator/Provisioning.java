package io.genos.orchestrator;

import static io.genos.orchestrator.Transitions.host;
import static io.genos.orchestrator.Transitions.port;
import static io.genos.orchestrator.Transitions.reason;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.catalog.Resolution;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new environment's way from REQUESTED to RUNNING (or FAILED with nothing left behind), on a virtual thread:
 * the image composed (its build shown as progress and kept in the history), the resources created, started, and
 * the display waited for. Knows which environments are being provisioned in this JVM.
 */
final class Provisioning {
    private static final Logger log = LoggerFactory.getLogger(Provisioning.class);
    private static final String PASSWORD_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** VNC authentication uses only the first 8 characters of a password. */
    private static final int PASSWORD_LENGTH = 8;

    /** How provisioning creates an environment's resources: from a catalog image, or from a snapshot. */
    @FunctionalInterface
    interface Creator {
        RuntimeHandle create(EnvironmentRuntime runtime, RuntimeRequest request);
    }

    private final Transitions t;
    private final DisplayReadiness display;
    private final Duration displayTimeout;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("genos-provision-", 0).factory());
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> provisioned = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    Provisioning(Transitions transitions, DisplayReadiness display, Duration displayTimeout) {
        this.t = transitions;
        this.display = display;
        this.displayTimeout = displayTimeout;
    }

    /** Stores a new environment (REQUESTED) and provisions it in the background. */
    Environment submit(Environment e, String owner, Resolution resolution, Creator creator) {
        inFlight.add(e.id());
        var done = new CompletableFuture<Void>();
        provisioned.put(e.id(), done);
        try {
            t.store().insert(e, owner);
        } catch (RuntimeException ex) {
            inFlight.remove(e.id());
            provisioned.remove(e.id());
            throw ex;
        }
        t.publish(e, null, owner);
        executor.submit(() -> {
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

    /** Whether this JVM is provisioning it now. */
    boolean inFlight(String id) {
        return inFlight.contains(id);
    }

    /** A destroy during provisioning waits for it to end (RUNNING or FAILED), then destroys. */
    void awaitEnd(String id) {
        var done = provisioned.get(id);
        if (done == null) {
            return;
        }
        try {
            done.get(displayTimeout.toSeconds() + 60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("interrupted while waiting for the environment to finish provisioning");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            throw new RuntimeFailureException("the environment is still provisioning; try again in a minute");
        }
    }

    void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A display password: 8 characters (all VNC reads), without look-alikes. */
    String password() {
        StringBuilder b = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            b.append(PASSWORD_CHARS.charAt(random.nextInt(PASSWORD_CHARS.length())));
        }
        return b.toString();
    }

    /** When a spec's lifetime ends, launched now; null when it has none. */
    static Instant expiry(EnvironmentSpec spec, Instant now) {
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

    /** What a resource must carry for reconcile to adopt it if its record is lost. */
    private Map<String, String> adoptionLabels(Environment e) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put(EnvironmentRuntime.LABEL_INSTALLATION, t.installationId());
        labels.put(EnvironmentRuntime.LABEL_NAME, e.name());
        labels.put(EnvironmentRuntime.LABEL_EXPIRES_AT, e.expiresAt() == null ? "" : e.expiresAt().toString());
        labels.put(EnvironmentRuntime.LABEL_SPEC, EnvironmentStore.specJson(e.spec()));
        return labels;
    }

    private void provision(String id, Resolution resolution, String owner, Creator creator) {
        t.locked(id, () -> {
            Environment e = t.get(id);
            RuntimeHandle handle = new RuntimeHandle(id, null);
            EnvironmentRuntime runtime = t.runtimeFor(e.kind());
            try {
                String creating = e.kind() == Kind.VM ? "creating the virtual machine" : "creating the container";
                e = t.move(e.withProgress(resolution.composed() ? 2 : 10, resolution.composed()
                                ? "composing the image: " + String.join(", then ", resolution.composition().layerNames())
                                : creating),
                        EnvironmentState.PROVISIONING,
                        "provisioning " + e.imageId(), "genos", null, 0);
                t.publishProgress(e);
                ProgressOfBuild listener = new ProgressOfBuild(e);
                Resolution composed = runtime.compose(resolution, listener);
                if (listener.changed()) {
                    e = t.progress(listener.current(), 45, creating);
                }
                handle = creator.create(runtime, new RuntimeRequest(id, owner, e.name(), composed,
                        e.displayPassword(), adoptionLabels(e)));
                e = e.withRuntimeRef(handle.ref());
                e = t.progress(e, 50, "starting");
                runtime.start(handle);
                e = t.progress(e, 75, "waiting for the display");
                InetSocketAddress address = display.await(runtime, handle);
                e = e.withProgress(100, "running");
                return t.move(e, EnvironmentState.RUNNING, address == null ? "it runs (terminal only, no display)"
                        : "the display answers", "genos", host(address), port(address));
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
                Environment current = t.store().find(id).orElse(e);
                if (current.state().canMoveTo(EnvironmentState.FAILED)) {
                    t.move(current.withRuntimeRef(null), EnvironmentState.FAILED, reason, "genos", null, 0);
                }
                return current;
            }
        });
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
            t.store().note(current, t.clock().instant(), "genos", "the image " + reference + ": pulled from its registry");
        }

        @Override
        public synchronized void progress(BuildProgress p) {
            long now = System.nanoTime();
            if (now - lastWrite < 1_000_000_000L && !"saving".equals(p.phase()) && !"pulled".equals(p.phase())) {
                return;
            }
            lastWrite = now;
            changed = true;
            current = t.progress(current, 2 + p.overallPercent() * 43 / 100, p.describe());
        }

        @Override
        public synchronized void layerReady(String layerName, String image, boolean fromCache, String buildLog) {
            t.store().note(current, t.clock().instant(), "genos", fromCache
                    ? layerName + ": taken from the image cache (" + image + ")" : layerName + ": built (" + image + ")");
            try {
                t.events().publishEvent(new ImageLayerReady(current.id(), image, fromCache, t.clock().instant()));
            } catch (RuntimeException ex) {
                log.warn("a listener of layer {} failed: {}", image, ex.toString());
            }
            if (!buildLog.isBlank()) {
                t.store().log(current.id(), t.clock().instant(), "build log of " + layerName, buildLog);
            }
        }

        @Override
        public synchronized void layerFailed(String layerName, String buildLog) {
            if (!buildLog.isBlank()) {
                t.store().log(current.id(), t.clock().instant(), "build log of " + layerName + " (failed)", buildLog);
            }
        }
    }
}
