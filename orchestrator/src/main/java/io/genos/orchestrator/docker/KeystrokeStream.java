package io.genos.orchestrator.docker;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The stdin docker-java pumps into an exec: blocks until keystrokes arrive, ends after {@link #end()}. Unlike
 * {@link java.io.PipedInputStream} it does not care which (possibly short-lived, virtual) thread wrote.
 */
final class KeystrokeStream extends InputStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    void offer(byte[] bytes) {
        if (bytes.length > 0) {
            queue.add(bytes.clone());
        }
    }

    void end() {
        queue.add(END);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (pos >= current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            pos = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return Math.max(0, current.length - pos);
    }

    @Override
    public void close() {
        end();
    }
}
