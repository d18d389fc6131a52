package io.genos.streaming.rfb;

/**
 * Receives what the VNC server sends, on the client's reader thread, in the server's order. The framebuffer has
 * already been changed when a method is called, so an implementation may read {@link Framebuffer#pixels()} for the
 * reported region until it returns.
 */
public interface RfbListener {

    /** The desktop has (now) this size; the framebuffer was reallocated and its content is undefined until updated. */
    default void resized(int width, int height) {}

    /** The server is about to apply a copy; regions reported by {@link #updated} before this call precede it. */
    default void copied(int srcX, int srcY, int width, int height, int dstX, int dstY) {}

    /** Pixels in this rectangle changed. */
    default void updated(int x, int y, int width, int height) {}

    /** A new cursor image, ARGB (non-premultiplied), row-major; {@code argb} is only valid during the call. */
    default void cursor(int hotspotX, int hotspotY, int width, int height, int[] argb) {}

    /** One FramebufferUpdate has been completely applied. */
    default void updateComplete() {}

    /** The server's clipboard changed (ServerCutText, Latin-1). */
    default void clipboard(String text) {}

    /** The session ended: {@code failure} is {@code null} after {@link RfbClient#close()}. */
    default void closed(Exception failure) {}
}
