package io.genos.portal.lifetime;

import io.genos.orchestrator.Environments;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Destroys every environment whose {@code lifetime.ttl} has run out, checked every {@code genos.lifetime.check-interval}. */
@Component
class LifetimeEnforcer {

    private static final Logger log = LoggerFactory.getLogger(LifetimeEnforcer.class);

    private final Environments environments;
    private final Clock clock = Clock.systemUTC();

    LifetimeEnforcer(Environments environments) {
        this.environments = environments;
    }

    @Scheduled(fixedDelayString = "${genos.lifetime.check-interval:PT30S}", initialDelayString = "${genos.lifetime.check-interval:PT30S}")
    void destroyExpired() {
        try {
            int n = environments.destroyExpired(clock.instant());
            if (n > 0) {
                log.info("destroyed {} environment(s) whose lifetime ended", n);
            }
        } catch (RuntimeException e) {
            // one environment that cannot be destroyed now must not stop the next check
            log.warn("lifetime check failed: {}", e.getMessage());
        }
    }
}
