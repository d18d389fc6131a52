package io.genos.portal.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most {@code perMinute} actions of one kind per user in any minute (a token bucket per user, refilled
 * continuously), so that one user cannot keep the composer or the runtimes busy for everyone. What it remembers is
 * bounded: the least recently seen users go first.
 */
final class RateLimit {
    static final int MAX_USERS = 10_000;

    private record Bucket(double tokens, Instant at) {}

    private final String what;
    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_USERS;
        }
    };

    RateLimit(String what, int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("a rate limit allows at least 1 per minute, was " + perMinute);
        }
        this.what = what;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes one action for the user, or refuses saying when to try again. */
    synchronized void take(String user) {
        Instant now = clock.instant();
        Bucket b = buckets.get(user);
        double tokens = b == null ? perMinute
                : Math.min(perMinute, b.tokens() + Duration.between(b.at(), now).toMillis() * perMinute / 60_000.0);
        if (tokens < 1) {
            long waitSeconds = (long) Math.ceil((1 - tokens) * 60.0 / perMinute);
            buckets.put(user, new Bucket(tokens, now));
            throw new RateLimitedException("Too many " + what + " in a minute (at most " + perMinute + "): try again in "
                    + waitSeconds + " s.");
        }
        buckets.put(user, new Bucket(tokens - 1, now));
    }
}
