package io.genos.orchestrator;

import io.genos.spec.Kind;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * What every part of {@link Environments} shares: the store, the runtimes, one lock per environment (and per owner's
 * quota), and the state machine's moves, each stored and then published as an {@link EnvironmentStateChanged} (and
 * progress as {@link EnvironmentProgress}).
 */
final class Transitions {
    private static final Logger log = LoggerFactory.getLogger(Transitions.class);

    private final EnvironmentStore store;
    private final List<EnvironmentRuntime> runtimes;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile String installation;

    Transitions(EnvironmentStore store, List<EnvironmentRuntime> runtimes, ApplicationEventPublisher events,
            Clock clock) {
        this.store = store;
        this.runtimes = List.copyOf(runtimes);
        this.events = events;
        this.clock = clock;
    }

    EnvironmentStore store() {
        return store;
    }

    List<EnvironmentRuntime> runtimes() {
        return runtimes;
    }

    ApplicationEventPublisher events() {
        return events;
    }

    Clock clock() {
        return clock;
    }

    /** The id of this installation (its database), carried by every resource it creates. */
    String installationId() {
        String id = installation;
        if (id == null) {
            id = store.installationId();
            installation = id;
        }
        return id;
    }

    Optional<Environment> find(String id) {
        return id == null ? Optional.empty() : store.find(id);
    }

    Environment get(String id) {
        return find(id).orElseThrow(() -> new EnvironmentNotFoundException(id));
    }

    EnvironmentRuntime runtimeFor(Kind kind) {
        return runtimes.stream().filter(r -> r.supports(kind)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("GenOS cannot run " + (kind == null ? "this"
                        : kind == Kind.VM ? "virtual machines" : kind.json() + "s") + " here yet (no runtime for it)"));
    }

    /** Runs the action holding the lock of {@code id} (an environment id, or {@code quota:<owner>}). */
    <T> T locked(String id, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Moves the environment to {@code to}, stored only if it is still in the state it was read in, then published. */
    Environment move(Environment e, EnvironmentState to, String reason, String actor, String displayHost,
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

    /** Stores and publishes a provisioning step (a text longer than 200 characters is cut). */
    Environment progress(Environment e, int progress, String text) {
        if (text != null && text.length() > 200) {
            text = text.substring(0, 199) + "…";
        }
        Environment next = e.withProgress(progress, text);
        store.update(next, e.state(), "genos");
        publishProgress(next);
        return next;
    }

    void publish(Environment e, EnvironmentState from, String actor) {
        try {
            events.publishEvent(new EnvironmentStateChanged(e.id(), e.owner(), from, e.state(), e.stateReason(), actor,
                    e.updatedAt()));
        } catch (RuntimeException ex) {
            log.warn("a listener of {} failed: {}", e.id(), ex.toString());
        }
    }

    void publishProgress(Environment e) {
        try {
            events.publishEvent(new EnvironmentProgress(e.id(), e.owner(), e.progress(), e.progressText(),
                    clock.instant()));
        } catch (RuntimeException ex) {
            log.warn("a progress listener of {} failed: {}", e.id(), ex.toString());
        }
    }

    /** {@code base-1}, {@code base-2}, … : the first name the owner does not use for a live environment. */
    String freeName(String owner, String base) {
        List<String> taken = store.listByOwner(owner).stream()
                .filter(e -> e.state() != EnvironmentState.DESTROYED).map(Environment::name).toList();
        for (int i = 1; ; i++) {
            String candidate = base + "-" + i;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    static RuntimeHandle handle(Environment e) {
        return new RuntimeHandle(e.id(), e.runtimeRef());
    }

    static String host(InetSocketAddress display) {
        return display == null ? null : display.getHostString();
    }

    static int port(InetSocketAddress display) {
        return display == null ? 0 : display.getPort();
    }

    /** What a failure is recorded as: an orchestrator exception's message, or "unexpected error: …". */
    static String reason(RuntimeException ex) {
        if (ex instanceof OrchestratorException) {
            return ex.getMessage();
        }
        return "unexpected error: " + Objects.requireNonNullElse(ex.getMessage(), ex.getClass().getSimpleName());
    }
}
