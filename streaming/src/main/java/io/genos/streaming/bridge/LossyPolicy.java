package io.genos.streaming.bridge;

/**
 * Decides, per updated rectangle, between lossless PNG and lossy JPEG, the way guacd does: JPEG only where the screen
 * changes often (at least {@link #MIN_FRAMERATE} updates a second over the rectangle, e.g. video, a 3D view, a
 * scrolling photo), the rectangle is big enough for JPEG to pay ({@link #MIN_PIXELS}), and its content is not the
 * flat colour runs PNG compresses best (text, UI). Also remembers where it sent JPEG, so that a region that has come
 * to rest can be sent again losslessly.
 *
 * <p>Update rates are kept on a grid of {@value #CELL}x{@value #CELL} pixel cells, each with the times of its last
 * {@value #HISTORY} updates. Used by the session's RFB reader thread and, for {@link #restingLossy}, its keep-alive
 * thread: the methods are synchronized.
 */
final class LossyPolicy {

    static final int CELL = 64;
    static final int HISTORY = 5;
    static final int MIN_FRAMERATE = 3;
    static final int MIN_PIXELS = 64 * 64;

    private int columns;
    private int rows;
    /** Per cell, the last HISTORY update times in ms (a ring), and where the ring's next slot is. */
    private long[] times = new long[0];
    private int[] next = new int[0];
    /** Per cell, the time JPEG was last sent over it and not since repaired losslessly (0: none). */
    private long[] lossySince = new long[0];

    LossyPolicy(int width, int height) {
        resize(width, height);
    }

    synchronized void resize(int width, int height) {
        columns = Math.max(1, (width + CELL - 1) / CELL);
        rows = Math.max(1, (height + CELL - 1) / CELL);
        times = new long[columns * rows * HISTORY];
        next = new int[columns * rows];
        lossySince = new long[columns * rows];
    }

    /** Records an update of the rectangle [x0, x1) x [y0, y1) at {@code nowMillis}. */
    synchronized void updated(int x0, int y0, int x1, int y1, long nowMillis) {
        forCells(x0, y0, x1, y1, c -> {
            times[c * HISTORY + next[c]] = nowMillis;
            next[c] = (next[c] + 1) % HISTORY;
        });
    }

    /** Updates a second over the rectangle: the mean over its cells of their updates in the last second. */
    synchronized int framerate(int x0, int y0, int x1, int y1, long nowMillis) {
        long[] sum = {0, 0};
        forCells(x0, y0, x1, y1, c -> {
            int recent = 0;
            for (int i = 0; i < HISTORY; i++) {
                long t = times[c * HISTORY + i];
                if (t != 0 && nowMillis - t < 1000) {
                    recent++;
                }
            }
            sum[0] += recent;
            sum[1]++;
        });
        return sum[1] == 0 ? 0 : (int) (sum[0] / sum[1]);
    }

    /**
     * Whether to send the rectangle as JPEG. {@code pixels} is the framebuffer (0xRRGGBB ints, {@code stride} wide).
     */
    synchronized boolean lossy(int[] pixels, int stride, int x0, int y0, int x1, int y1, long nowMillis) {
        long area = (long) (x1 - x0) * (y1 - y0);
        return area > MIN_PIXELS && framerate(x0, y0, x1, y1, nowMillis) >= MIN_FRAMERATE
                && !flat(pixels, stride, x0, y0, x1, y1);
    }

    /**
     * guacd's PNG "optimality": a rectangle where at least four in five pixels equal their left neighbour is flat
     * colour (text, UI), which PNG compresses better than JPEG and without artefacts.
     */
    static boolean flat(int[] pixels, int stride, int x0, int y0, int x1, int y1) {
        long same = 0;
        long different = 0;
        for (int y = y0; y < y1; y++) {
            int row = y * stride;
            int last = pixels[row + x0] ^ 0x1000000;
            for (int x = x0; x < x1; x++) {
                int p = pixels[row + x] & 0xFFFFFF;
                if (p == last) {
                    same++;
                } else {
                    different++;
                }
                last = p;
            }
        }
        return different == 0 || same >= 4 * different;
    }

    /** Notes that the rectangle went out as JPEG ({@code lossy}) or losslessly (a lossless send repairs it). */
    synchronized void sent(int x0, int y0, int x1, int y1, boolean lossy, long nowMillis) {
        forCells(x0, y0, x1, y1, c -> lossySince[c] = lossy ? nowMillis : 0);
    }

    /**
     * The bounding box {x0, y0, x1, y1} of the cells sent as JPEG that have not changed for {@code restMillis}, clipped
     * to {@code width} x {@code height}, or null when there are none. They are then taken as repaired.
     */
    synchronized int[] restingLossy(long nowMillis, long restMillis, int width, int height) {
        int minC = Integer.MAX_VALUE;
        int minR = Integer.MAX_VALUE;
        int maxC = -1;
        int maxR = -1;
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < columns; col++) {
                int c = r * columns + col;
                if (lossySince[c] != 0 && nowMillis - lastUpdate(c) >= restMillis) {
                    minC = Math.min(minC, col);
                    minR = Math.min(minR, r);
                    maxC = Math.max(maxC, col);
                    maxR = Math.max(maxR, r);
                    lossySince[c] = 0;
                }
            }
        }
        if (maxC < 0) {
            return null;
        }
        return new int[] {minC * CELL, minR * CELL, Math.min(width, (maxC + 1) * CELL), Math.min(height, (maxR + 1) * CELL)};
    }

    private long lastUpdate(int c) {
        long last = 0;
        for (int i = 0; i < HISTORY; i++) {
            last = Math.max(last, times[c * HISTORY + i]);
        }
        return last;
    }

    private void forCells(int x0, int y0, int x1, int y1, java.util.function.IntConsumer action) {
        int c0 = Math.clamp(x0 / CELL, 0, columns - 1);
        int c1 = Math.clamp((Math.max(x1, x0 + 1) - 1) / CELL, 0, columns - 1);
        int r0 = Math.clamp(y0 / CELL, 0, rows - 1);
        int r1 = Math.clamp((Math.max(y1, y0 + 1) - 1) / CELL, 0, rows - 1);
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                action.accept(r * columns + c);
            }
        }
    }
}
