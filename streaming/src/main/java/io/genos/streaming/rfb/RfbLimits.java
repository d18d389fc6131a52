package io.genos.streaming.rfb;

/**
 * What GenOS accepts from a VNC server, which the environment's user controls: sizes are checked against these before
 * anything is allocated, and a server that goes beyond one is disconnected with a message naming the limit.
 *
 * @param maxWidth widest desktop, in pixels
 * @param maxHeight tallest desktop, in pixels
 * @param maxPixels most pixels of a desktop (4 bytes each in the portal's memory)
 * @param maxCursor widest and tallest cursor, in pixels
 * @param maxClipboardBytes largest clipboard text
 */
public record RfbLimits(int maxWidth, int maxHeight, long maxPixels, int maxCursor, int maxClipboardBytes) {

    /** 8192 x 8192 at most, 16.8 megapixels (64 MiB; 4K is 8.3), cursors of 256 x 256, 1 MiB of clipboard. */
    public static final RfbLimits DEFAULTS = new RfbLimits(8192, 8192, 16_777_216L, 256, 1 << 20);

    public RfbLimits {
        if (maxWidth < 1 || maxWidth > 65535 || maxHeight < 1 || maxHeight > 65535) {
            throw new IllegalArgumentException("a desktop's limit is 1 to 65535 pixels each way, not " + maxWidth + "x"
                    + maxHeight);
        }
        if (maxPixels < 1 || maxPixels > 268_435_456L) {
            throw new IllegalArgumentException("the pixel limit is 1 to 268435456, not " + maxPixels);
        }
        if (maxCursor < 1 || maxCursor > 1024) {
            throw new IllegalArgumentException("the cursor limit is 1 to 1024 pixels, not " + maxCursor);
        }
        if (maxClipboardBytes < 0 || maxClipboardBytes > 64 << 20) {
            throw new IllegalArgumentException("the clipboard limit is 0 to 64 MiB, not " + maxClipboardBytes);
        }
    }

    /** @throws RfbException when a desktop of that size is beyond the limits */
    void checkDesktop(int width, int height) throws RfbException {
        if (width > maxWidth || height > maxHeight || (long) width * height > maxPixels) {
            throw new RfbException(RfbException.Reason.LIMIT, "The VNC server announced a " + width + "x" + height
                    + " desktop, beyond GenOS's limit of " + maxWidth + "x" + maxHeight + " and " + maxPixels
                    + " pixels");
        }
    }

    /** @throws RfbException when a cursor of that size is beyond the limit */
    void checkCursor(int width, int height) throws RfbException {
        if (width > maxCursor || height > maxCursor) {
            throw new RfbException(RfbException.Reason.LIMIT, "The VNC server sent a " + width + "x" + height
                    + " cursor, beyond GenOS's limit of " + maxCursor + "x" + maxCursor);
        }
    }

    /** @throws RfbException when clipboard text of that length is beyond the limit (or negative) */
    void checkClipboard(int length) throws RfbException {
        if (length < 0 || length > maxClipboardBytes) {
            throw new RfbException(RfbException.Reason.LIMIT, "The VNC server sent " + Integer.toUnsignedString(length)
                    + " bytes of clipboard text, beyond GenOS's limit of " + maxClipboardBytes);
        }
    }
}
