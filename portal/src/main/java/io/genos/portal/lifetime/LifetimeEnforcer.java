package io.genos.portal.lifetime;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.spec.policy.PolicyGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Lifetimes, checked every {@code genos.lifetime.check-interval}: an environment past its {@code lifetime.ttl} is
 * destroyed; a running one with no input for its {@code lifetime.idleTimeout} is stopped (not destroyed).
 */
@Component
public class LifetimeEnforcer {

    private static final Logger log = LoggerFactory.getLogger(LifetimeEnforcer.class);

    private final Environments environments;
    private final Activity activity;
    private final Clock clock = Clock.systemUTC();

    LifetimeEnforcer(Environments environments, Activity activity) {
        this.environments = environments;
        this.activity = activity;
    }

    @Scheduled(fixedDelayString = "${genos.lifetime.check-interval:PT30S}", initialDelayString = "${genos.lifetime.check-interval:PT30S}")
    void enforce() {
        Instant now = clock.instant();
        try {
            int n = environments.destroyExpired(now);
            if (n > 0) {
                log.info("destroyed {} environment(s) whose lifetime ended", n);
            }
        } catch (RuntimeException e) {
            // one environment that cannot be destroyed now must not stop the next check
            log.warn("lifetime check failed: {}", e.getMessage());
        }
        for (Environment e : environments.listAll()) {
            if (e.state() != EnvironmentState.RUNNING) {
                continue;
            }
            idleDeadline(e).filter(deadline -> !deadline.isAfter(now)).ifPresent(deadline -> {
                try {
                    environments.stop(e.id(), "genos (idle for " + PolicyGate.human(idleTimeout(e).orElseThrow()) + ")");
                    activity.forget(e.id());
                } catch (RuntimeException ex) {
                    log.warn("idle stop of {} failed: {}", e.id(), ex.getMessage());
                }
            });
        }
    }

    /** When a running environment will be stopped for idleness if nobody uses it: empty when it has no idle timeout. */
    public Optional<Instant> idleDeadline(Environment e) {
        return idleTimeout(e).map(timeout -> {
            Instant since = e.updatedAt(); // when it became RUNNING (or last changed state)
            Instant last = activity.lastInput(e.id()).filter(i -> i.isAfter(since)).orElse(since);
            return last.plus(timeout);
        });
    }

    private static Optional<Duration> idleTimeout(Environment e) {
        if (e.spec() == null || e.spec().lifetime() == null || e.spec().lifetime().idleTimeout() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PolicyGate.parseDuration(e.spec().lifetime().idleTimeout()));
        } catch (RuntimeException ex) {
            return Optional.empty();
        }
    }
}
