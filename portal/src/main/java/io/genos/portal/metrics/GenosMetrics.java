package io.genos.portal.metrics;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.EnvironmentStateChanged;
import io.genos.orchestrator.Environments;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * GenOS's own metrics, at {@code /actuator/prometheus}: launch latency (request to a display that answers, or to
 * failure) as a histogram by kind and outcome; environments by state; open tunnels and terminals; composer latency;
 * refusals by reason (policy, quota, runtime); what the display tunnels carry (bytes each way, frames). No tag carries a user or an environment: nothing about a tenant leaves.
 */
@Component
public class GenosMetrics {

    private final MeterRegistry registry;
    private final Environments environments;
    private final Map<EnvironmentState, AtomicLong> byState = new EnumMap<>(EnvironmentState.class);
    private final Timer composer;
    private volatile long countedAt;

    public GenosMetrics(MeterRegistry registry, Environments environments) {
        this.registry = registry;
        this.environments = environments;
        for (EnvironmentState s : EnvironmentState.values()) {
            AtomicLong n = new AtomicLong();
            byState.put(s, n);
            Gauge.builder("genos.environments", n, v -> {
                recount();
                return v.get();
            }).description("environments by state").tag("state", s.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        composer = Timer.builder("genos.composer.duration").description("time to compose a spec from the turns")
                .publishPercentileHistogram().register(registry);
    }

    /** Counts the environments by state at most once a second (a scrape reads every state's gauge). */
    private synchronized void recount() {
        long now = System.nanoTime();
        if (now - countedAt < 1_000_000_000L && countedAt != 0) {
            return;
        }
        countedAt = now;
        Map<EnvironmentState, Long> counts = new EnumMap<>(EnvironmentState.class);
        for (Environment e : environments.listAll()) {
            counts.merge(e.state(), 1L, Long::sum);
        }
        byState.forEach((s, n) -> n.set(counts.getOrDefault(s, 0L)));
    }

    /** A launch ended: its display answers (RUNNING) or it failed while provisioning. */
    @EventListener
    void stateChanged(EnvironmentStateChanged change) {
        if (change.from() != EnvironmentState.PROVISIONING
                || change.to() != EnvironmentState.RUNNING && change.to() != EnvironmentState.FAILED) {
            return;
        }
        environments.find(change.environmentId()).ifPresent(e -> {
            Duration took = Duration.between(e.createdAt(), change.at());
            if (took.isNegative()) {
                return;
            }
            Timer.builder("genos.launch.duration").description("request to a display that answers (or to failure)")
                    .tag("kind", e.kind().json()).tag("outcome", change.to() == EnvironmentState.RUNNING ? "running" : "failed")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
                    .maximumExpectedValue(Duration.ofMinutes(30)).register(registry).record(took);
        });
    }

    /** What the display tunnels carry: {@code genos_stream_bytes_total} by direction, {@code genos_stream_frames_total}. */
    public io.genos.streaming.web.GuacamoleTunnelHandler.Traffic streamTraffic() {
        Counter toBrowser = Counter.builder("genos.stream.bytes").baseUnit("bytes").tag("direction", "to_browser")
                .description("Guacamole instructions sent through the display tunnels").register(registry);
        Counter fromBrowser = Counter.builder("genos.stream.bytes").baseUnit("bytes").tag("direction", "from_browser")
                .description("Guacamole instructions sent through the display tunnels").register(registry);
        Counter frames = Counter.builder("genos.stream.frames").description("display frames sent to browsers")
                .register(registry);
        return new io.genos.streaming.web.GuacamoleTunnelHandler.Traffic() {
            @Override
            public void toBrowser(int chars, int frameCount) {
                toBrowser.increment(chars);
                if (frameCount > 0) {
                    frames.increment(frameCount);
                }
            }

            @Override
            public void fromBrowser(int chars) {
                fromBrowser.increment(chars);
            }
        };
    }

    /** Times one composition. */
    public <T> T timeComposer(Supplier<T> compose) {
        return composer.record(compose);
    }

    /** A launch refused before anything was created: {@code policy}, {@code quota} or {@code runtime}. */
    public void refused(String reason) {
        Counter.builder("genos.refusals").description("launches refused before anything was created")
                .tag("reason", reason).register(registry).increment();
    }
}
