package io.genos.orchestrator;

import io.genos.spec.policy.PolicyGate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How long environments live: extensions within the policy's longest lifetime, and which have come to their end. */
final class Lifetimes {
    private static final DateTimeFormatter UNTIL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Transitions t;

    Lifetimes(Transitions transitions) {
        this.t = transitions;
    }

    /** See {@link Environments#extend}. */
    Environment extend(String id, Duration by, Duration longest, String actor) {
        if (by == null || by.isNegative() || by.isZero()) {
            throw new InvalidRequestException("an extension must be a positive duration");
        }
        return t.locked(id, () -> {
            Environment e = t.get(id);
            if (e.state() == EnvironmentState.DESTROYED || e.state() == EnvironmentState.FAILED) {
                throw new IllegalTransitionException(e.state(), "cannot extend the lifetime of an environment that is "
                        + e.state().label());
            }
            if (e.expiresAt() == null) {
                throw new InvalidRequestException("environment " + e.name() + " has no end of lifetime to extend");
            }
            Instant now = t.clock().instant();
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
            if (!t.store().extendLifetime(next, e.expiresAt(), actor, reason)) {
                throw new IllegalTransitionException(t.get(id).state(), "the environment changed meanwhile; try again");
            }
            return t.get(id);
        });
    }

    /** The environments whose lifetime has ended at {@code now} and that can still be destroyed. */
    List<Environment> ended(Instant now) {
        return t.store().listAll().stream().filter(e -> e.expiresAt() != null && !e.expiresAt().isAfter(now)
                && e.state().canMoveTo(EnvironmentState.DESTROYED)).toList();
    }
}
