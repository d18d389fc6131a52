package io.genos.orchestrator;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs {@link Environments#reconcile} every {@code genos.reconcile.interval} (default one minute; {@code 0}
 * turns it off), as "genos (reconcile)", after the reconcile at start-up, and the image cache's housekeeping with it
 * (leftovers of interrupted layer builds, eviction beyond the budget). It keeps its own single thread, so it works
 * whether or not the application enables Spring's scheduling; a run never overlaps the next.
 */
@Component
class PeriodicReconcile {
    static final String ACTOR = "genos (reconcile)";
    private static final Logger log = LoggerFactory.getLogger(PeriodicReconcile.class);

    private final Environments environments;
    private final org.springframework.beans.factory.ObjectProvider<ImageCache> imageCache;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    PeriodicReconcile(Environments environments, org.springframework.beans.factory.ObjectProvider<ImageCache> imageCache,
            @Value("${genos.reconcile.interval:PT1M}") Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("genos.reconcile.interval must be 0 (off) or positive, was " + interval);
        }
        this.environments = environments;
        this.imageCache = imageCache;
        this.interval = interval;
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void begin() {
        if (interval.isZero() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("genos-reconcile")
                .factory());
        long millis = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One reconcile run; its changes are logged (each is also an event in the environment's history). */
    List<String> runOnce() {
        try {
            List<String> changes = environments.reconcile(ACTOR);
            changes.forEach(c -> log.info("reconcile: {}", c));
            imageCache.ifAvailable(ImageCache::housekeeping);
            return changes;
        } catch (RuntimeException ex) {
            log.warn("periodic reconcile failed: {}", ex.toString());
            return List.of();
        }
    }

    @PreDestroy
    synchronized void end() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
