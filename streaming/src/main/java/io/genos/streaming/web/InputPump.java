package io.genos.streaming.web;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * What a browser sends to an environment (keys, pointer, pasted text), written to the environment's socket by a
 * thread of its own: the request thread that received it only queues it and never waits for an environment that
 * stalls its reads. The queue is bounded in size; input beyond it is refused ({@link #offer} says false), and the
 * caller ends the session.
 *
 * @param <T> a message (characters of Guacamole instructions, or terminal bytes)
 */
public final class InputPump<T> implements AutoCloseable {

    /** Writes one message to the environment; may block, on the pump's own thread. */
    @FunctionalInterface
    public interface Sink<T> {
        void write(T message) throws Exception;
    }

    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long maxQueued;
    private final ToIntFunction<T> size;
    private final Thread thread;

    /**
     * @param name the pump thread's name
     * @param maxQueued most size (as {@code size} measures it) waiting at once
     * @param failed told once when a write fails (the environment went away); the pump stops
     */
    public InputPump(String name, long maxQueued, ToIntFunction<T> size, Sink<T> sink, Consumer<Exception> failed) {
        this.maxQueued = maxQueued;
        this.size = size;
        this.thread = Thread.ofVirtual().name(name).start(() -> {
            while (!closed.get()) {
                T next;
                try {
                    next = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (next == null) {
                    continue;
                }
                queued.addAndGet(-size.applyAsInt(next));
                try {
                    sink.write(next);
                } catch (Exception e) {
                    if (closed.compareAndSet(false, true)) {
                        failed.accept(e);
                    }
                    return;
                }
            }
        });
    }

    /** Queues the message; false when the pump is closed or the queue would go beyond its bound (nothing queued). */
    public boolean offer(T message) {
        int n = size.applyAsInt(message);
        if (closed.get() || queued.addAndGet(n) > maxQueued) {
            queued.addAndGet(-n);
            return false;
        }
        queue.add(message);
        return true;
    }

    /** What waits now, as {@code size} measures it. */
    public long queued() {
        return queued.get();
    }

    @Override
    public void close() {
        closed.set(true);
        queue.clear();
        thread.interrupt();
    }
}
