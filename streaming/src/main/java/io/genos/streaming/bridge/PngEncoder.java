package io.genos.streaming.bridge;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small PNG writer for framebuffer rectangles: 8-bit RGB (or RGBA for cursors), one IDAT, rows filtered None (the
 * default), Up, or per row by the usual sum-of-absolute-differences heuristic, deflated at a low level. One instance
 * reuses its buffers and its {@link Deflater}; it is not thread-safe. The result stays valid until the next call.
 */
public final class PngEncoder implements AutoCloseable {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private byte[] raw = new byte[1 << 16];
    private byte[] out = new byte[1 << 16];
    private int length;

    /** How rows are filtered before deflate: never, always Up, or per row by the usual heuristic. */
    public enum Filter { NONE, UP, ADAPTIVE }

    private final Filter filter;
    private int level;

    /** Deflate level 1, no row filter: measured fastest and, for desktop content at level 1, no larger. */
    public PngEncoder() {
        this(1, Filter.NONE);
    }

    /** @param level a {@link Deflater} level, 1 (fastest) is the default */
    public PngEncoder(int level) {
        this(level, Filter.NONE);
    }

    public PngEncoder(int level, Filter filter) {
        this.deflater = new Deflater(level);
        this.level = level;
        this.filter = filter;
    }

    /** Changes the deflate level for the following images (0-9). */
    public void level(int level) {
        if (level != this.level) {
            deflater.setLevel(level);
            this.level = level;
        }
    }

    /** The encoded PNG is {@code bytes()[0 .. length())}. */
    public byte[] bytes() {
        return out;
    }

    public int length() {
        return length;
    }

    /** Encodes an opaque rectangle of a 0x00RRGGBB (or 0xAARRGGBB, alpha ignored) pixel array. */
    public int encodeRgb(int[] pixels, int stride, int x, int y, int w, int h) {
        checkRect(pixels, stride, x, y, w, h);
        int rowBytes = w * 3;
        int total = (rowBytes + 1) * h;
        if (raw.length < total) {
            raw = new byte[total + (total >> 2)];
        }
        byte[] raw = this.raw;
        int p = 0;
        for (int row = 0; row < h; row++) {
            int src = (y + row) * stride + x;
            int above = src - stride;
            boolean up = row > 0 && switch (filter) {
                case NONE -> false;
                case UP -> true;
                case ADAPTIVE -> upLooksSmaller(pixels, src, above, w);
            };
            if (up) {
                raw[p++] = 2; // Up
                for (int col = 0; col < w; col++) {
                    int c = pixels[src + col];
                    int a = pixels[above + col];
                    raw[p] = (byte) ((c >> 16) - (a >> 16));
                    raw[p + 1] = (byte) ((c >> 8) - (a >> 8));
                    raw[p + 2] = (byte) (c - a);
                    p += 3;
                }
            } else {
                raw[p++] = 0; // None
                for (int col = 0; col < w; col++) {
                    int c = pixels[src + col];
                    raw[p] = (byte) (c >> 16);
                    raw[p + 1] = (byte) (c >> 8);
                    raw[p + 2] = (byte) c;
                    p += 3;
                }
            }
        }
        return finish(w, h, 2, total);
    }

    /**
     * The usual minimum-sum-of-absolute-differences heuristic between filters None and Up, on every fourth pixel of
     * the row, straight from the int pixels.
     */
    private static boolean upLooksSmaller(int[] pixels, int src, int above, int w) {
        int none = 0;
        int up = 0;
        for (int col = 0; col < w; col += 4) {
            int c = pixels[src + col];
            int a = pixels[above + col];
            none += Math.abs((byte) (c >> 16)) + Math.abs((byte) (c >> 8)) + Math.abs((byte) c);
            up += Math.abs((byte) ((c >> 16) - (a >> 16))) + Math.abs((byte) ((c >> 8) - (a >> 8))) + Math.abs((byte) (c - a));
        }
        return up < none;
    }

    /** Encodes a small ARGB image (non-premultiplied) with transparency, as cursors need. */
    public int encodeArgb(int[] argb, int w, int h) {
        checkRect(argb, w, 0, 0, w, h);
        int rowBytes = w * 4;
        int total = (rowBytes + 1) * h;
        if (raw.length < total) {
            raw = new byte[total];
        }
        int p = 0;
        for (int row = 0; row < h; row++) {
            raw[p++] = 0;
            for (int col = 0; col < w; col++) {
                int c = argb[row * w + col];
                raw[p++] = (byte) (c >> 16);
                raw[p++] = (byte) (c >> 8);
                raw[p++] = (byte) c;
                raw[p++] = (byte) (c >>> 24);
            }
        }
        return finish(w, h, 6, total);
    }

    private static void checkRect(int[] pixels, int stride, int x, int y, int w, int h) {
        if (w < 1 || h < 1 || x < 0 || y < 0 || x + w > stride || (long) (y + h) * stride > pixels.length) {
            throw new IllegalArgumentException("Rectangle " + w + "x" + h + "+" + x + "+" + y
                    + " is empty or outside the " + stride + "-wide image");
        }
    }

    private int finish(int w, int h, int colourType, int rawLength) {
        int needed = 8 + 25 + 12 + rawLength + (rawLength >> 6) + 64 + 12;
        if (out.length < needed) {
            out = new byte[needed];
        }
        int p = 0;
        System.arraycopy(SIGNATURE, 0, out, 0, 8);
        p = 8;
        // IHDR
        int ihdr = p;
        p = putInt(p, 13);
        p = putAscii(p, "IHDR");
        p = putInt(p, w);
        p = putInt(p, h);
        out[p++] = 8;
        out[p++] = (byte) colourType;
        out[p++] = 0;
        out[p++] = 0;
        out[p++] = 0;
        p = putCrc(ihdr + 4, p);
        // IDAT
        int idat = p;
        p += 8;
        deflater.reset();
        deflater.setInput(raw, 0, rawLength);
        deflater.finish();
        while (!deflater.finished()) {
            if (p == out.length - 16) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            p += deflater.deflate(out, p, out.length - 16 - p);
        }
        int dataLength = p - idat - 8;
        putInt(idat, dataLength);
        putAscii(idat + 4, "IDAT");
        p = putCrc(idat + 4, p);
        // IEND
        int iend = p;
        p = putInt(p, 0);
        p = putAscii(p, "IEND");
        p = putCrc(iend + 4, p);
        length = p;
        return p;
    }

    private int putInt(int p, int v) {
        out[p] = (byte) (v >>> 24);
        out[p + 1] = (byte) (v >>> 16);
        out[p + 2] = (byte) (v >>> 8);
        out[p + 3] = (byte) v;
        return p + 4;
    }

    private int putAscii(int p, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[p + i] = (byte) s.charAt(i);
        }
        return p + s.length();
    }

    private int putCrc(int from, int to) {
        crc.reset();
        crc.update(out, from, to - from);
        return putInt(to, (int) crc.getValue());
    }

    @Override
    public void close() {
        deflater.end();
    }
}
