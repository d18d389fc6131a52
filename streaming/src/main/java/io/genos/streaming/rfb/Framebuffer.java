package io.genos.streaming.rfb;

/** The remote screen as 0x00RRGGBB ints, row-major, {@code width * height} long. */
public final class Framebuffer {

    private int width;
    private int height;
    private int[] pixels;

    Framebuffer(int width, int height) {
        resize(width, height);
    }

    void resize(int width, int height) {
        this.width = width;
        this.height = height;
        this.pixels = new int[Math.max(1, width * height)];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int[] pixels() {
        return pixels;
    }

    /** Copies a rectangle inside the framebuffer, correct for overlapping source and destination. */
    void copy(int srcX, int srcY, int w, int h, int dstX, int dstY) {
        if (dstY > srcY) {
            for (int row = h - 1; row >= 0; row--) {
                System.arraycopy(pixels, (srcY + row) * width + srcX, pixels, (dstY + row) * width + dstX, w);
            }
        } else {
            for (int row = 0; row < h; row++) {
                System.arraycopy(pixels, (srcY + row) * width + srcX, pixels, (dstY + row) * width + dstX, w);
            }
        }
    }
}
