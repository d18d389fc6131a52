package io.genos.orchestrator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The composed image layers the runtimes keep, for admins: what each is, its size, when a launch last used it, which
 * environments run from it; pinning (kept whatever the budget), removal of unused ones, and eviction of the least
 * recently used unpinned layers that nothing uses once their total passes {@code genos.orchestrator.image-cache-budget}.
 * A layer used in the last {@link #GRACE} is never evicted (a launch may be about to create its container from it).
 */
@Service
public class ImageCache {
    private static final Logger log = LoggerFactory.getLogger(ImageCache.class);
    static final Duration GRACE = Duration.ofMinutes(15);

    /** One layer as admins see it. */
    public record Entry(CachedImage image, Instant lastUsed, boolean pinned, List<String> usedByNames) {}

    private final List<EnvironmentRuntime> runtimes;
    private final JdbcClient jdbc;
    private final EnvironmentStore store;
    private final long budgetBytes;
    private final Clock clock;

    @Autowired
    ImageCache(List<EnvironmentRuntime> runtimes, DataSource dataSource, EnvironmentStore store,
            OrchestratorProperties properties) {
        this(runtimes, dataSource, store, properties.imageCacheBudget().toBytes(), Clock.systemUTC());
    }

    ImageCache(List<EnvironmentRuntime> runtimes, DataSource dataSource, EnvironmentStore store, long budgetBytes,
            Clock clock) {
        this.runtimes = List.copyOf(runtimes);
        this.jdbc = JdbcClient.create(dataSource);
        this.store = store;
        this.budgetBytes = budgetBytes;
        this.clock = clock;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** Every composed layer, most recently used first. */
    public List<Entry> list() {
        Map<String, Instant> used = new HashMap<>();
        Map<String, Boolean> pinned = new HashMap<>();
        jdbc.sql("select ref, last_used_at, pinned from genos_image_cache").query(rs -> {
            used.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            pinned.put(rs.getString(1), rs.getBoolean(3));
        });
        List<Entry> entries = new ArrayList<>();
        for (EnvironmentRuntime r : runtimes) {
            for (CachedImage i : r.cachedImages()) {
                List<String> names = i.usedBy().stream()
                        .map(id -> store.find(id).map(Environment::name).orElse(id)).toList();
                entries.add(new Entry(i, used.getOrDefault(i.ref(), i.builtAt()), pinned.getOrDefault(i.ref(), false),
                        names));
            }
        }
        entries.sort(Comparator.comparing(Entry::lastUsed).reversed());
        return entries;
    }

    /** Keeps a layer whatever the budget says (or no longer). */
    public void pin(String ref, boolean pin) {
        find(ref);
        upsert(ref, null, pin);
    }

    /** Removes an unused layer now (refused, naming why, when something runs from it or is built on it). */
    public void remove(String ref) {
        Entry e = find(ref);
        runtimeOf(e.image()).removeCachedImage(ref);
        jdbc.sql("delete from genos_image_cache where ref = ?").param(ref).update();
    }

    /**
     * Removes least recently used, unpinned layers that nothing runs from or builds on, until the total is within the
     * budget; says what went.
     */
    public synchronized List<String> evict() {
        List<Entry> entries = list();
        long total = entries.stream().mapToLong(e -> e.image().uniqueBytes()).sum();
        List<String> removed = new ArrayList<>();
        Instant recent = clock.instant().minus(GRACE);
        boolean progress = true;
        while (total > budgetBytes && progress) {
            progress = false;
            List<Entry> candidates = entries.stream()
                    .filter(e -> !e.pinned() && e.image().usedBy().isEmpty() && !e.image().hasChildren()
                            && e.lastUsed().isBefore(recent))
                    .sorted(Comparator.comparing(Entry::lastUsed)).toList();
            for (Entry victim : candidates) {
                try {
                    runtimeOf(victim.image()).removeCachedImage(victim.image().ref());
                } catch (RuntimeException ex) {
                    log.info("image cache: could not evict {}: {}", victim.image().ref(), ex.getMessage());
                    continue;
                }
                jdbc.sql("delete from genos_image_cache where ref = ?").param(victim.image().ref()).update();
                removed.add(victim.image().ref() + " (" + victim.image().contents() + ", "
                        + victim.image().uniqueBytes() / (1024 * 1024) + " MiB)");
                total -= victim.image().uniqueBytes();
                progress = true;
                break; // its parent may be a leaf now: look again
            }
            if (progress) {
                entries = list();
            }
        }
        removed.forEach(r -> log.info("image cache over its budget: evicted {}", r));
        return removed;
    }

    /**
     * Builds a composition now, without launching anything, and pins its layers: for compositions many users ask for.
     * What the runtime refuses is refused here at once ({@link InvalidRequestException}); the build runs in the
     * background (see the log and this list for its outcome).
     *
     * @return the layers that will be built (empty when all are cached; they are pinned then)
     */
    public List<String> prebuild(io.genos.spec.catalog.Resolution resolution, String actor) {
        if (resolution == null || !resolution.composed()) {
            throw new InvalidRequestException("nothing to build: the request runs on a catalog image as it is");
        }
        EnvironmentRuntime runtime = runtimes.stream().filter(r -> r.supports(resolution.image().kind())).findFirst()
                .orElseThrow(() -> new InvalidRequestException("no runtime here builds " + resolution.image().kind().json()
                        + " images"));
        runtime.check(resolution);
        List<String> toBuild = runtime.layersToBuild(resolution);
        Thread.ofVirtual().name("genos-prebuild").start(() -> {
            try {
                runtime.compose(resolution, new BuildListener() {
                    @Override
                    public void progress(BuildProgress progress) {}

                    @Override
                    public void layerReady(String layerName, String image, boolean fromCache, String buildLog) {
                        upsert(image, clock.instant(), true);
                        log.info("pre-build by {}: {} ready and pinned ({})", actor, layerName, image);
                    }
                });
            } catch (RuntimeException ex) {
                log.warn("pre-build by {} failed: {}", actor, ex.getMessage());
            }
        });
        return toBuild;
    }

    @EventListener
    void layerReady(ImageLayerReady ready) {
        upsert(ready.ref(), ready.at(), null);
        if (!ready.fromCache()) {
            try {
                evict();
            } catch (RuntimeException ex) {
                log.warn("image cache eviction failed: {}", ex.toString());
            }
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void sweepAtStartup() {
        housekeeping();
    }

    /**
     * Removes what interrupted layer builds left (older than the build timeout, so never a running build's), then
     * evicts beyond the budget: at start-up and with every periodic reconcile.
     */
    void housekeeping() {
        for (EnvironmentRuntime r : runtimes) {
            try {
                r.sweepBuildLeftovers().forEach(what -> log.info("image cache: removed {} left by an interrupted build",
                        what));
            } catch (RuntimeException ex) {
                log.warn("could not sweep layer build leftovers: {}", ex.toString());
            }
        }
        try {
            evict();
        } catch (RuntimeException ex) {
            log.warn("image cache eviction failed: {}", ex.toString());
        }
    }

    private synchronized void upsert(String ref, Instant used, Boolean pinned) {
        boolean known = jdbc.sql("select count(*) from genos_image_cache where ref = ?").param(ref)
                .query(Long.class).single() > 0;
        if (!known) {
            jdbc.sql("insert into genos_image_cache (ref, last_used_at, pinned) values (?, ?, ?)")
                    .params(ref, OffsetDateTime.ofInstant(used == null ? clock.instant() : used, ZoneOffset.UTC),
                            pinned != null && pinned)
                    .update();
            return;
        }
        if (used != null) {
            jdbc.sql("update genos_image_cache set last_used_at = ? where ref = ?")
                    .params(OffsetDateTime.ofInstant(used, ZoneOffset.UTC), ref).update();
        }
        if (pinned != null) {
            jdbc.sql("update genos_image_cache set pinned = ? where ref = ?").params(pinned, ref).update();
        }
    }

    private Entry find(String ref) {
        return list().stream().filter(e -> e.image().ref().equals(ref)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("there is no composed image " + ref));
    }

    private EnvironmentRuntime runtimeOf(CachedImage image) {
        return runtimes.stream().filter(r -> r.cachedImages().stream().anyMatch(c -> c.ref().equals(image.ref())))
                .findFirst().orElseThrow(() -> new InvalidRequestException("there is no composed image " + image.ref()));
    }
}
