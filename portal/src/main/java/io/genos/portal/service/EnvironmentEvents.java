package io.genos.portal.service;

import io.genos.orchestrator.EnvironmentProgress;
import io.genos.orchestrator.EnvironmentStateChanged;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * State changes and provisioning steps of environments, handed to whoever follows them (the API's event stream) with
 * the owner-or-admin rule applied. Delivery never waits: each subscriber gets the change on the thread that made it
 * and must queue it (a slow browser or script must not hold up a launch). Subscriptions are bounded per user and in
 * all.
 */
@Component
public class EnvironmentEvents {
    public static final int MAX_PER_USER = 5;
    public static final int MAX_IN_ALL = 500;

    /** One change: a state change (with {@code from}, {@code to}, {@code reason}) or a provisioning step. */
    public record Change(String type, String environmentId, String owner, String from, String to, String reason,
            Integer progress, String text, Instant at) {}

    /** A follower; {@link #close()} ends it. */
    public final class Subscription implements AutoCloseable {
        private final Actor actor;
        private final String environmentId;
        private final Consumer<Change> sink;

        private Subscription(Actor actor, String environmentId, Consumer<Change> sink) {
            this.actor = actor;
            this.environmentId = environmentId;
            this.sink = sink;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();

    /**
     * Follows the actor's environments (every one for an admin), or only {@code environmentId} when given.
     *
     * @throws RateLimitedException when the actor, or everyone together, follows too many streams already
     */
    public Subscription subscribe(Actor actor, String environmentId, Consumer<Change> sink) {
        long mine = subscribers.stream().filter(s -> s.actor.name().equals(actor.name())).count();
        if (mine >= MAX_PER_USER) {
            throw new RateLimitedException("You follow " + mine + " event streams already, the most at once: close one.");
        }
        if (subscribers.size() >= MAX_IN_ALL) {
            throw new RateLimitedException("The portal serves as many event streams as it can: try again later.");
        }
        Subscription s = new Subscription(actor, environmentId, sink);
        subscribers.add(s);
        return s;
    }

    @EventListener
    void stateChanged(EnvironmentStateChanged e) {
        publish(new Change("state", e.environmentId(), e.owner(), e.from() == null ? null : e.from().name(),
                e.to().name(), e.reason(), null, null, e.at()));
    }

    @EventListener
    void progress(EnvironmentProgress e) {
        publish(new Change("progress", e.environmentId(), e.owner(), null, null, null, e.progress(), e.text(), e.at()));
    }

    private void publish(Change c) {
        for (Subscription s : subscribers) {
            if (s.actor.mayAccess(c.owner()) && (s.environmentId == null || s.environmentId.equals(c.environmentId()))) {
                try {
                    s.sink.accept(c);
                } catch (RuntimeException e) {
                    s.close();
                }
            }
        }
    }
}
