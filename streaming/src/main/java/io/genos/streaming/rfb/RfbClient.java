package io.genos.streaming.rfb;

import io.genos.streaming.rfb.RfbException.Reason;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One RFB session. {@link #connect} does the handshake (version, security, init, pixel format, encodings) and
 * returns a client whose {@link #start} runs the reader thread that applies updates to the {@link Framebuffer} and
 * reports them to the {@link RfbListener}. The send methods may be called from any thread.
 */
public final class RfbClient implements Closeable {

    public static final int ENCODING_RAW = 0;
    public static final int ENCODING_COPY_RECT = 1;
    public static final int ENCODING_LAST_RECT = -224;
    public static final int ENCODING_CURSOR = -239;
    public static final int ENCODING_DESKTOP_SIZE = -223;
    public static final int ENCODING_EXTENDED_DESKTOP_SIZE = -308;

    private static final int[] ENCODINGS = {
        ENCODING_COPY_RECT, ENCODING_RAW, ENCODING_CURSOR, ENCODING_DESKTOP_SIZE, ENCODING_EXTENDED_DESKTOP_SIZE,
        ENCODING_LAST_RECT
    };

    private static final boolean DEBUG = Boolean.getBoolean("genos.rfb.debug");
    private final Closeable transport;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Framebuffer framebuffer;
    private final String desktopName;
    private final String version;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean setDesktopSizeSupported;
    private volatile int screenId;
    private volatile int screenFlags;
    private byte[] scratch = new byte[64 * 1024];
    private final RfbLimits limits;
    private IntBuffer scratchInts = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    private Thread reader;

    private RfbClient(Closeable transport, DataInputStream in, DataOutputStream out, String version, int width,
            int height, String desktopName, RfbLimits limits) {
        this.limits = limits;
        this.transport = transport;
        this.in = in;
        this.out = out;
        this.version = version;
        this.framebuffer = new Framebuffer(width, height);
        this.desktopName = desktopName;
    }

    /** Connects over TCP and completes the handshake; {@code password} may be {@code null} for security None. */
    public static RfbClient connect(String host, int port, String password, Duration timeout) throws IOException {
        return connect(host, port, password, timeout, RfbLimits.DEFAULTS);
    }

    /** {@link #connect(String, int, String, Duration)} with the given limits on what the server may send. */
    public static RfbClient connect(String host, int port, String password, Duration timeout, RfbLimits limits)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            RfbClient client = handshake(socket.getInputStream(), socket.getOutputStream(), password, socket, limits);
            socket.setSoTimeout(0);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Completes the handshake over the given streams ({@code transport} is closed by {@link #close()}). */
    static RfbClient handshake(InputStream rawIn, OutputStream rawOut, String password, Closeable transport)
            throws IOException {
        return handshake(rawIn, rawOut, password, transport, RfbLimits.DEFAULTS);
    }

    /**
     * The handshake, refusing a server that offers less security than the password GenOS holds for it (a user who
     * replaced the VNC server must not get the portal to talk to it without authentication) and a desktop beyond the
     * limits.
     */
    static RfbClient handshake(InputStream rawIn, OutputStream rawOut, String password, Closeable transport,
            RfbLimits limits) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn, 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(rawOut, 1 << 12));

        byte[] banner = new byte[12];
        in.readFully(banner);
        String serverVersion = new String(banner, StandardCharsets.US_ASCII);
        if (!serverVersion.matches("RFB \\d{3}\\.\\d{3}\n")) {
            throw new RfbException(Reason.PROTOCOL_ERROR, "Not a VNC server (greeting " + printable(serverVersion) + ")");
        }
        int major = Integer.parseInt(serverVersion.substring(4, 7));
        int minor = Integer.parseInt(serverVersion.substring(8, 11));
        int ourMinor = major > 3 || minor >= 8 ? 8 : minor == 7 ? 7 : 3;
        if (major < 3) {
            throw new RfbException(Reason.UNSUPPORTED, "Unsupported RFB version " + major + "." + minor);
        }
        String version = "3." + ourMinor;
        out.writeBytes(String.format("RFB 003.%03d\n", ourMinor));
        out.flush();

        int security;
        if (ourMinor >= 7) {
            int count = in.readUnsignedByte();
            if (count == 0) {
                throw new RfbException(Reason.REFUSED, "VNC server refused the connection: " + readReason(in));
            }
            boolean none = false;
            boolean vncAuth = false;
            for (int i = 0; i < count; i++) {
                int type = in.readUnsignedByte();
                none |= type == 1;
                vncAuth |= type == 2;
            }
            boolean havePassword = password != null && !password.isEmpty();
            if (vncAuth && (havePassword || !none)) {
                security = 2;
            } else if (havePassword) {
                throw new RfbException(Reason.LIMIT, "The VNC server offers no VNC authentication though it has a "
                        + "password: refused (a server that drops its password is not trusted)");
            } else if (none) {
                security = 1;
            } else {
                throw new RfbException(Reason.UNSUPPORTED,
                        "VNC server offers no supported security type (need None or VNC authentication)");
            }
            out.writeByte(security);
            out.flush();
        } else {
            security = in.readInt();
            if (security == 0) {
                throw new RfbException(Reason.REFUSED, "VNC server refused the connection: " + readReason(in));
            }
            if (security != 1 && security != 2) {
                throw new RfbException(Reason.UNSUPPORTED, "Unsupported VNC security type " + security);
            }
            if (security == 1 && password != null && !password.isEmpty()) {
                throw new RfbException(Reason.LIMIT, "The VNC server chose no authentication though it has a "
                        + "password: refused (a server that drops its password is not trusted)");
            }
        }

        if (security == 2) {
            if (password == null || password.isEmpty()) {
                throw new RfbException(Reason.PASSWORD_REQUIRED, "The VNC server requires a password and none was given");
            }
            byte[] challenge = new byte[16];
            in.readFully(challenge);
            out.write(VncAuthentication.response(password, challenge));
            out.flush();
        }
        if (security == 2 || ourMinor >= 8) {
            int result = in.readInt();
            if (result != 0) {
                String reason = ourMinor >= 8 ? readReason(in) : "";
                throw new RfbException(security == 2 ? Reason.AUTHENTICATION_FAILED : Reason.REFUSED,
                        "VNC authentication failed" + (reason.isEmpty() ? "" : ": " + reason));
            }
        }

        out.writeByte(1); // ClientInit: shared
        out.flush();
        int width = in.readUnsignedShort();
        int height = in.readUnsignedShort();
        if (width == 0 || height == 0) {
            throw new RfbException(Reason.PROTOCOL_ERROR, "VNC server announced an empty desktop " + width + "x" + height);
        }
        limits.checkDesktop(width, height);
        in.skipNBytes(16); // the server's pixel format: we set our own
        int nameLength = in.readInt();
        if (nameLength < 0 || nameLength > 1 << 16) {
            throw new RfbException(Reason.PROTOCOL_ERROR, "Bad desktop name length " + nameLength);
        }
        String name = new String(in.readNBytes(nameLength), StandardCharsets.UTF_8);

        // SetPixelFormat: 32bpp, depth 24, little-endian, true colour, 0x00RRGGBB.
        out.writeByte(0);
        out.write(new byte[3]);
        out.write(new byte[] {32, 24, 0, 1, 0, (byte) 255, 0, (byte) 255, 0, (byte) 255, 16, 8, 0, 0, 0, 0});
        // SetEncodings
        out.writeByte(2);
        out.writeByte(0);
        out.writeShort(ENCODINGS.length);
        for (int encoding : ENCODINGS) {
            out.writeInt(encoding);
        }
        out.flush();
        return new RfbClient(transport, in, out, version, width, height, name, limits);
    }

    private static String readReason(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 16) {
            return "(unreadable reason)";
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String printable(String s) {
        return "\"" + s.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }

    public Framebuffer framebuffer() {
        return framebuffer;
    }

    public String desktopName() {
        return desktopName;
    }

    /** The RFB version spoken, e.g. {@code "3.8"}. */
    public String version() {
        return version;
    }

    /** True once the server has announced ExtendedDesktopSize, i.e. accepts SetDesktopSize. */
    public boolean supportsSetDesktopSize() {
        return setDesktopSizeSupported;
    }

    /** Starts the reader thread; call {@link #requestUpdate} to get pixels. */
    public synchronized void start(RfbListener listener) {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        reader = Thread.ofVirtual().name("rfb-reader").start(() -> readLoop(listener));
    }

    private void readLoop(RfbListener listener) {
        Exception failure = null;
        try {
            while (!closed.get()) {
                readMessage(listener);
            }
        } catch (Exception e) {
            if (!closed.get()) {
                failure = e instanceof EOFException ? new RfbException(Reason.PROTOCOL_ERROR, "VNC server closed the connection") : e;
            }
        } finally {
            closeQuietly();
            listener.closed(failure);
        }
    }

    /** Reads and applies one server message. Package-private for tests that drive the decoder without a thread. */
    void readMessage(RfbListener listener) throws IOException {
        int type = in.readUnsignedByte();
        switch (type) {
            case 0 -> readFramebufferUpdate(listener);
            case 1 -> { // SetColourMapEntries: we asked for true colour; skip
                in.skipNBytes(1 + 2);
                in.skipNBytes(6L * in.readUnsignedShort());
            }
            case 2 -> { } // Bell
            case 3 -> {
                in.skipNBytes(3);
                int length = in.readInt();
                limits.checkClipboard(length);
                listener.clipboard(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1));
            }
            default -> throw new RfbException(Reason.PROTOCOL_ERROR, "Unknown RFB server message type " + type);
        }
    }

    private void readFramebufferUpdate(RfbListener listener) throws IOException {
        in.skipNBytes(1);
        int rects = in.readUnsignedShort();
        for (int i = 0; i < rects; i++) {
            int x = in.readUnsignedShort();
            int y = in.readUnsignedShort();
            int w = in.readUnsignedShort();
            int h = in.readUnsignedShort();
            int encoding = in.readInt();
            if (DEBUG) {
                System.err.println("rect " + (i + 1) + "/" + rects + " " + w + "x" + h + "+" + x + "+" + y + " enc " + encoding);
            }
            switch (encoding) {
                case ENCODING_RAW -> {
                    checkBounds(x, y, w, h);
                    readRaw(x, y, w, h);
                    listener.updated(x, y, w, h);
                }
                case ENCODING_COPY_RECT -> {
                    int srcX = in.readUnsignedShort();
                    int srcY = in.readUnsignedShort();
                    checkBounds(x, y, w, h);
                    checkBounds(srcX, srcY, w, h);
                    listener.copied(srcX, srcY, w, h, x, y);
                    framebuffer.copy(srcX, srcY, w, h, x, y);
                }
                case ENCODING_CURSOR -> readCursor(listener, x, y, w, h);
                case ENCODING_DESKTOP_SIZE -> resize(listener, w, h);
                case ENCODING_EXTENDED_DESKTOP_SIZE -> {
                    int screens = in.readUnsignedByte();
                    in.skipNBytes(3);
                    for (int s = 0; s < screens; s++) {
                        int id = in.readInt();
                        in.skipNBytes(8);
                        int flags = in.readInt();
                        if (s == 0) {
                            screenId = id;
                            screenFlags = flags;
                        }
                    }
                    setDesktopSizeSupported = true;
                    if (y == 0) { // status 0: a size change (or the initial announcement)
                        resize(listener, w, h);
                    }
                }
                case ENCODING_LAST_RECT -> i = rects;
                default -> throw new RfbException(Reason.PROTOCOL_ERROR,
                        "VNC server sent encoding " + encoding + " which was not requested");
            }
        }
        listener.updateComplete();
    }

    private void checkBounds(int x, int y, int w, int h) throws RfbException {
        if (x + w > framebuffer.width() || y + h > framebuffer.height()) {
            throw new RfbException(Reason.PROTOCOL_ERROR, "Rectangle " + w + "x" + h + "+" + x + "+" + y
                    + " outside the " + framebuffer.width() + "x" + framebuffer.height() + " framebuffer");
        }
    }

    private void resize(RfbListener listener, int w, int h) throws RfbException {
        if (w == 0 || h == 0) {
            throw new RfbException(Reason.PROTOCOL_ERROR, "VNC server announced an empty desktop " + w + "x" + h);
        }
        limits.checkDesktop(w, h);
        if (w != framebuffer.width() || h != framebuffer.height()) {
            framebuffer.resize(w, h);
            listener.resized(w, h);
        }
    }

    private void ensureScratch(int bytes) {
        if (scratch.length < bytes) {
            scratch = new byte[Integer.highestOneBit(bytes - 1) << 1];
            scratchInts = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        }
    }

    private void readRaw(int x, int y, int w, int h) throws IOException {
        int rowBytes = w * 4;
        if (rowBytes == 0) {
            return;
        }
        int rowsPerChunk = Math.max(1, scratch.length / rowBytes);
        ensureScratch(rowBytes);
        rowsPerChunk = Math.max(1, scratch.length / rowBytes);
        int[] pixels = framebuffer.pixels();
        int stride = framebuffer.width();
        for (int row = 0; row < h; row += rowsPerChunk) {
            int rows = Math.min(rowsPerChunk, h - row);
            in.readFully(scratch, 0, rows * rowBytes);
            for (int r = 0; r < rows; r++) {
                scratchInts.get(r * w, pixels, (y + row + r) * stride + x, w);
            }
        }
    }

    private void readCursor(RfbListener listener, int hotX, int hotY, int w, int h) throws IOException {
        limits.checkCursor(w, h);
        int pixelBytes = w * h * 4;
        int maskRow = (w + 7) / 8;
        ensureScratch(pixelBytes + maskRow * h);
        in.readFully(scratch, 0, pixelBytes + maskRow * h);
        int[] argb = new int[w * h];
        scratchInts.get(0, argb, 0, w * h);
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int bit = scratch[pixelBytes + row * maskRow + col / 8] >> (7 - (col & 7)) & 1;
                int i = row * w + col;
                argb[i] = bit == 1 ? 0xFF000000 | argb[i] & 0xFFFFFF : 0;
            }
        }
        listener.cursor(hotX, hotY, w, h, argb);
    }

    /** Asks for an update of the whole screen; incremental ones are answered only when something changed. */
    public void requestUpdate(boolean incremental) throws IOException {
        synchronized (out) {
            out.writeByte(3);
            out.writeByte(incremental ? 1 : 0);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(framebuffer.width());
            out.writeShort(framebuffer.height());
            out.flush();
        }
    }

    /** Asks for the pixels of a region of the screen now (a non-incremental update of just that region). */
    public void requestRegion(int x, int y, int w, int h) throws IOException {
        int x0 = Math.clamp(x, 0, framebuffer.width());
        int y0 = Math.clamp(y, 0, framebuffer.height());
        int x1 = Math.clamp((long) x + w, x0, framebuffer.width());
        int y1 = Math.clamp((long) y + h, y0, framebuffer.height());
        if (x1 == x0 || y1 == y0) {
            return;
        }
        synchronized (out) {
            out.writeByte(3);
            out.writeByte(0);
            out.writeShort(x0);
            out.writeShort(y0);
            out.writeShort(x1 - x0);
            out.writeShort(y1 - y0);
            out.flush();
        }
    }

    /** PointerEvent: position clamped to the screen, buttons as an RFB/Guacamole mask (1 left, 2 middle, 4 right, 8/16 wheel). */
    public void pointer(int x, int y, int buttonMask) throws IOException {
        synchronized (out) {
            out.writeByte(5);
            out.writeByte(buttonMask & 0xFF);
            out.writeShort(Math.clamp(x, 0, framebuffer.width() - 1));
            out.writeShort(Math.clamp(y, 0, framebuffer.height() - 1));
            out.flush();
        }
    }

    /** KeyEvent for an X11 keysym. */
    public void key(int keysym, boolean pressed) throws IOException {
        synchronized (out) {
            out.writeByte(4);
            out.writeByte(pressed ? 1 : 0);
            out.writeShort(0);
            out.writeInt(keysym);
            out.flush();
        }
    }

    /** ClientCutText; characters outside Latin-1 become '?', as RFB allows nothing else without extensions. */
    public void clipboard(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        synchronized (out) {
            out.writeByte(6);
            out.write(new byte[3]);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * SetDesktopSize for a single screen; returns false (and sends nothing) when the server has not announced
     * ExtendedDesktopSize.
     */
    public boolean setDesktopSize(int width, int height) throws IOException {
        if (width < 1 || height < 1 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("Desktop size " + width + "x" + height + " is out of range");
        }
        if (!setDesktopSizeSupported) {
            return false;
        }
        synchronized (out) {
            out.writeByte(251);
            out.writeByte(0);
            out.writeShort(width);
            out.writeShort(height);
            out.writeByte(1);
            out.writeByte(0);
            out.writeInt(screenId);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(width);
            out.writeShort(height);
            out.writeInt(screenFlags);
            out.flush();
        }
        return true;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (closed.compareAndSet(false, true)) {
            try {
                transport.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
