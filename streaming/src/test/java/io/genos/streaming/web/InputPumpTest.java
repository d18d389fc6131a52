package io.genos.streaming.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Input for an environment is queued, never written on the caller's thread: an environment that stops reading
 * (a sink that blocks) neither holds the caller nor grows the queue past its bound.
 */
class InputPumpTest {

    private static void until(BooleanSupplier condition) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 5 s");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aStalledEnvironmentNeitherBlocksTheCallerNorGrowsTheQueue() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (InputPump<byte[]> pump = new InputPump<>("test-in", 10_000, b -> b.length, b -> never.await(), e -> { })) {
            byte[] key = new byte[1000];
            int accepted = 0;
            Thread caller = Thread.currentThread();
            for (int i = 0; i < 100; i++) {
                if (pump.offer(key)) {
                    accepted++;
                }
            }
            assertThat(Thread.currentThread()).isSameAs(caller);
            // one message is in the stalled write, ten wait: the rest is refused
            assertThat(accepted).isBetween(10, 11);
            assertThat(pump.queued()).isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void everythingIsWrittenInOrderWhileTheEnvironmentReads() {
        List<String> written = new CopyOnWriteArrayList<>();
        try (InputPump<String> pump = new InputPump<>("test-in", 100, String::length, written::add, e -> { })) {
            for (int i = 0; i < 50; i++) {
                assertThat(pump.offer("k" + i)).isTrue();
                until(() -> pump.queued() < 60);
            }
            until(() -> written.size() == 50);
            assertThat(written.getFirst()).isEqualTo("k0");
            assertThat(written.getLast()).isEqualTo("k49");
        }
    }

    @Test
    void aFailedWriteIsReportedOnceAndClosesThePump() {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (InputPump<String> pump = new InputPump<>("test-in", 100, String::length, s -> {
            throw new java.io.IOException("gone");
        }, failure::set)) {
            assertThat(pump.offer("x")).isTrue();
            until(() -> failure.get() != null);
            assertThat(failure.get()).hasMessage("gone");
            assertThat(pump.offer("y")).isFalse();
        }
    }
}
