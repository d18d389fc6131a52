package io.genos.portal.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aUserGetsTheirShareAMinuteAndOthersAreNotSlowedByThem() {
        Moving clock = new Moving();
        RateLimit limit = new RateLimit("launches", 3, clock);
        for (int i = 0; i < 3; i++) {
            limit.take("ann");
        }
        assertThatThrownBy(() -> limit.take("ann")).isInstanceOf(RateLimitedException.class)
                .hasMessage("Too many launches in a minute (at most 3): try again in 20 s.");
        assertThatCode(() -> limit.take("bob")).as("another user").doesNotThrowAnyException();
        clock.now = clock.now.plus(Duration.ofSeconds(20));
        assertThatCode(() -> limit.take("ann")).as("one more after a third of a minute").doesNotThrowAnyException();
        assertThatThrownBy(() -> limit.take("ann")).isInstanceOf(RateLimitedException.class);
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            limit.take("ann");
        }
        assertThatThrownBy(() -> limit.take("ann")).as("a long pause does not bank more than a minute's worth")
                .isInstanceOf(RateLimitedException.class);
    }

    @Test
    void whatItRemembersIsBounded() {
        RateLimit limit = new RateLimit("messages", 1, Clock.systemUTC());
        for (int i = 0; i < RateLimit.MAX_USERS + 10; i++) {
            limit.take("user-" + i);
        }
        // the first users were forgotten (their buckets dropped), the last ones are still counted
        assertThatCode(() -> limit.take("user-0")).doesNotThrowAnyException();
        assertThatThrownBy(() -> limit.take("user-" + (RateLimit.MAX_USERS + 9)))
                .isInstanceOf(RateLimitedException.class);
    }
}
