package io.genos.streaming.bridge;

import io.genos.streaming.rfb.Framebuffer;
import io.genos.streaming.rfb.RfbClient;
import io.genos.streaming.rfb.RfbListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.guacamole.GuacamoleClientException;
import org.apache.guacamole.GuacamoleException;
import org.apache.guacamole.GuacamoleServerException;
import org.apache.guacamole.io.GuacamoleReader;
import org.apache.guacamole.io.GuacamoleWriter;
import org.apache.guacamole.net.GuacamoleSocket;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.apache.guacamole.protocol.GuacamoleParser;
import org.apache.guacamole.protocol.GuacamoleStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One display streamed over the Guacamole protocol from one RFB session, as a {@link GuacamoleSocket} past the
 * handshake. Frames follow guacd's pacing: after a frame's {@code sync} the next incremental update is requested only
 * once the client has echoed that {@code sync} (or {@link VncBridge.Options#maxLagMillis} passed), so while the
 * client is busy the VNC server coalesces changes; nothing but a {@code nop} every few seconds is sent while the
 * screen is static.
 */
public final class VncBridgeSession implements GuacamoleSocket, RfbListener {

    private static final Logger log = LoggerFactory.getLogger(VncBridgeSession.class);
    private static final char[] END = new char[0];
    private static final int CHUNK_CHARS = 1 << 16;
    private static final int BLOB_BYTES = 6048; // as guacd: 8064 base64 chars, within the parsers' 8192 limit
    private static final int MAX_CLIPBOARD_BYTES = 1 << 20;
    /**
     * Most output (in characters of Guacamole instructions) waiting for the browser: pixel frames wait for the
     * browser's acknowledgement before the next is asked for, but what the VNC server pushes unasked (clipboard,
     * cursors) does not; past this a session whose browser does not keep up is ended instead of growing the heap.
     */
    static final int MAX_QUEUED_CHARS = 16 << 20;
    private static final int COMPOSITE_SRC = 0xC;
    private static final int COMPOSITE_OVER = 0xE;

    private final RfbClient rfb;
    private final VncBridge.Options options;
    /**
     * A region sent as JPEG is sent again losslessly once it has not changed for this long: by then its update rate
     * over the last second is below {@link LossyPolicy#MIN_FRAMERATE}, so the repaint goes out as PNG.
     */
    static final long REPAIR_AFTER_MILLIS = 1000;
    private final PngEncoder png;
    /** Created with the first lossy rectangle; null while lossy encoding is off or not needed yet. */
    private JpegEncoder jpeg;
    private volatile LossyPolicy lossy;
    private final BlockingQueue<char[]> output = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicLong queuedChars = new java.util.concurrent.atomic.AtomicLong();
    private final StringBuilder frame = new StringBuilder(1 << 16);
    private final List<int[]> dirty = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object ackLock = new Object();
    private final GuacamoleParser inputParser = new GuacamoleParser();
    private final Reader reader = new Reader();
    private final Writer writer = new Writer();
    private long lastSyncSent;
    private long lastSyncAcked;
    private volatile long lastOutputNanos = System.nanoTime();
    private boolean fullUpdateNeeded = true;
    private boolean frameHasPixels;
    private int nextStream;
    private String clipboardStream;
    private java.io.ByteArrayOutputStream clipboardData;
    private volatile long framesSent;

    VncBridgeSession(RfbClient rfb, VncBridge.Options options) {
        this.rfb = rfb;
        this.options = options;
        this.png = new PngEncoder(options.deflateLevel());
    }

    /** Sends {@code size} for layer 0 and asks the VNC server for the whole screen. */
    void start() throws IOException {
        Framebuffer fb = rfb.framebuffer();
        lossy = options.lossy() ? new LossyPolicy(fb.width(), fb.height()) : null;
        Instructions.append(frame, "size", 0, fb.width(), fb.height());
        flushChunk();
        rfb.start(this);
        requestNext();
        Thread.ofVirtual().name("guac-keepalive").start(this::keepAlive);
    }

    public RfbClient rfb() {
        return rfb;
    }

    /** Frames (sync instructions) sent so far. */
    public long framesSent() {
        return framesSent;
    }

    // ---------------------------------------------------------------- RFB side (reader thread)

    @Override
    public void resized(int width, int height) {
        dirty.clear();
        if (lossy != null) {
            lossy.resize(width, height);
        }
        Instructions.append(frame, "size", 0, width, height);
        fullUpdateNeeded = true;
    }

    @Override
    public void updated(int x, int y, int w, int h) {
        if (w > 0 && h > 0) {
            addDirty(x, y, w, h);
            frameHasPixels = true;
        }
    }

    @Override
    public void copied(int srcX, int srcY, int w, int h, int dstX, int dstY) {
        // What was drawn before the copy must reach the client before the copy does.
        encodeDirty();
        Instructions.append(frame, "copy", 0, srcX, srcY, w, h, COMPOSITE_OVER, 0, dstX, dstY);
        frameHasPixels = true;
    }

    @Override
    public void cursor(int hotspotX, int hotspotY, int w, int h, int[] argb) {
        if (w == 0 || h == 0) {
            argb = new int[1];
            w = 1;
            h = 1;
            hotspotX = 0;
            hotspotY = 0;
        }
        Instructions.append(frame, "size", -1, w, h);
        png.encodeArgb(argb, w, h);
        image(-1, COMPOSITE_SRC, 0, 0);
        Instructions.append(frame, "cursor", hotspotX, hotspotY, -1, 0, 0, w, h);
    }

    @Override
    public void clipboard(String text) {
        int stream = stream();
        Instructions.append(frame, "clipboard", stream, "text/plain");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int off = 0; off < utf8.length; off += BLOB_BYTES) {
            Instructions.blob(frame, stream, utf8, off, Math.min(BLOB_BYTES, utf8.length - off));
        }
        Instructions.append(frame, "end", stream);
        flushChunk(); // at once, and within the queue's limit (it comes unasked, outside any frame)
    }

    @Override
    public void updateComplete() {
        encodeDirty();
        try {
            if (!frameHasPixels) {
                // TigerVNC answers the first request with only pseudo-encodings (Cursor, ExtendedDesktopSize) and
                // sends the pixels for the next one: no sync yet, so the first frame the client sees is complete.
                requestNext();
                return;
            }
            frameHasPixels = false;
            long timestamp;
            synchronized (ackLock) {
                timestamp = Math.max(System.currentTimeMillis(), lastSyncSent + 1);
                lastSyncSent = timestamp;
            }
            Instructions.append(frame, "sync", timestamp);
            flushChunk();
            framesSent++;
            awaitAck(timestamp);
            requestNext();
        } catch (IOException e) {
            fail(GuacamoleStatus.UPSTREAM_ERROR, "Lost the connection to the display: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    private void awaitAck(long timestamp) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.maxLagMillis());
        synchronized (ackLock) {
            while (lastSyncAcked < timestamp && !closed.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(ackLock, left);
            }
        }
    }

    private void requestNext() throws IOException {
        if (closed.get()) {
            return;
        }
        rfb.requestUpdate(!fullUpdateNeeded);
        fullUpdateNeeded = false;
    }

    @Override
    public void closed(Exception failure) {
        if (failure != null) {
            fail(GuacamoleStatus.UPSTREAM_ERROR, "Lost the connection to the display: " + failure.getMessage());
        } else {
            close();
        }
    }

    private void addDirty(int x, int y, int w, int h) {
        int[] r = {x, y, x + w, y + h};
        boolean merged = true;
        while (merged) {
            merged = false;
            for (int i = 0; i < dirty.size(); i++) {
                int[] d = dirty.get(i);
                long union = (long) (Math.max(d[2], r[2]) - Math.min(d[0], r[0])) * (Math.max(d[3], r[3]) - Math.min(d[1], r[1]));
                long separate = area(d) + area(r);
                if (union <= separate + options.mergeSlackPixels()) {
                    r = new int[] {Math.min(d[0], r[0]), Math.min(d[1], r[1]), Math.max(d[2], r[2]), Math.max(d[3], r[3])};
                    dirty.remove(i);
                    merged = true;
                    break;
                }
            }
        }
        dirty.add(r);
    }

    private static long area(int[] r) {
        return (long) (r[2] - r[0]) * (r[3] - r[1]);
    }

    private void encodeDirty() {
        Framebuffer fb = rfb.framebuffer();
        long now = System.currentTimeMillis();
        for (int[] r : dirty) {
            if (lossy != null) {
                lossy.updated(r[0], r[1], r[2], r[3], now);
                if (lossy.lossy(fb.pixels(), fb.width(), r[0], r[1], r[2], r[3], now)) {
                    if (jpeg == null) {
                        jpeg = new JpegEncoder(options.jpegQuality());
                    }
                    jpeg.encode(fb.pixels(), fb.width(), r[0], r[1], r[2] - r[0], r[3] - r[1]);
                    image(0, COMPOSITE_OVER, r[0], r[1], "image/jpeg", jpeg.bytes(), jpeg.length());
                    lossy.sent(r[0], r[1], r[2], r[3], true, now);
                    continue;
                }
                lossy.sent(r[0], r[1], r[2], r[3], false, now);
            }
            // Big rectangles (first frame, full repaints) at the fastest level, the rest at the configured one.
            png.level(area(r) > options.largeRectPixels() ? 1 : options.deflateLevel());
            png.encodeRgb(fb.pixels(), fb.width(), r[0], r[1], r[2] - r[0], r[3] - r[1]);
            image(0, COMPOSITE_OVER, r[0], r[1]);
        }
        dirty.clear();
    }

    /** Emits the PNG currently in {@link #png} as an {@code img} stream drawn at (x, y) on {@code layer}. */
    private void image(int layer, int mask, int x, int y) {
        image(layer, mask, x, y, "image/png", png.bytes(), png.length());
    }

    /** Emits an encoded image as an {@code img} stream drawn at (x, y) on {@code layer}. */
    private void image(int layer, int mask, int x, int y, String mimetype, byte[] data, int length) {
        int stream = stream();
        Instructions.append(frame, "img", stream, mask, layer, mimetype, x, y);
        for (int off = 0; off < length; off += BLOB_BYTES) {
            Instructions.blob(frame, stream, data, off, Math.min(BLOB_BYTES, length - off));
            if (frame.length() >= CHUNK_CHARS) {
                flushChunk();
            }
        }
        Instructions.append(frame, "end", stream);
    }

    private int stream() {
        int s = nextStream;
        nextStream = (nextStream + 1) % 64;
        return s;
    }

    private void flushChunk() {
        if (!frame.isEmpty() && !closed.get()) {
            if (queuedChars.get() + frame.length() > MAX_QUEUED_CHARS) {
                frame.setLength(0);
                fail(GuacamoleStatus.SERVER_BUSY, "The display sends more than the browser takes: over "
                        + (MAX_QUEUED_CHARS >> 19) + " MiB waiting (GenOS's limit per display session)");
                return;
            }
            char[] chunk = new char[frame.length()];
            frame.getChars(0, chunk.length, chunk, 0);
            queuedChars.addAndGet(chunk.length);
            output.add(chunk);
            lastOutputNanos = System.nanoTime();
        }
        frame.setLength(0);
    }

    /**
     * Sends a {@code nop} when the connection has been quiet, and asks the VNC server again, for a lossless repaint,
     * for regions that went out as JPEG and have been still for {@link #REPAIR_AFTER_MILLIS}.
     */
    private void keepAlive() {
        long interval = TimeUnit.MILLISECONDS.toNanos(options.keepAliveMillis());
        while (!closed.get()) {
            try {
                Thread.sleep(Math.min(options.keepAliveMillis() / 2, REPAIR_AFTER_MILLIS / 4));
            } catch (InterruptedException e) {
                return;
            }
            LossyPolicy policy = lossy;
            if (policy != null && !closed.get()) {
                Framebuffer fb = rfb.framebuffer();
                int[] r = policy.restingLossy(System.currentTimeMillis(), REPAIR_AFTER_MILLIS, fb.width(), fb.height());
                if (r != null) {
                    try {
                        rfb.requestRegion(r[0], r[1], r[2] - r[0], r[3] - r[1]);
                    } catch (IOException e) {
                        return; // the reader sees the same failure and ends the session
                    }
                }
            }
            if (!closed.get() && System.nanoTime() - lastOutputNanos >= interval) {
                output.add("3.nop;".toCharArray());
                lastOutputNanos = System.nanoTime();
            }
        }
    }

    // ---------------------------------------------------------------- client side (writer)

    private void handle(GuacamoleInstruction instruction) throws GuacamoleException, IOException {
        List<String> args = instruction.getArgs();
        switch (instruction.getOpcode()) {
            case "mouse" -> {
                require(instruction, 3);
                rfb.pointer(integer(instruction, 0), integer(instruction, 1), integer(instruction, 2));
            }
            case "key" -> {
                require(instruction, 2);
                int keysym = integer(instruction, 0);
                String pressed = args.get(1);
                if (keysym < 0 || !(pressed.equals("1") || pressed.equals("0"))) {
                    throw bad(instruction, "expected a keysym and 1 or 0");
                }
                rfb.key(keysym, pressed.equals("1"));
            }
            case "sync" -> {
                require(instruction, 1);
                long timestamp;
                try {
                    timestamp = Long.parseLong(args.get(0));
                } catch (NumberFormatException e) {
                    throw bad(instruction, "timestamp is not a number");
                }
                synchronized (ackLock) {
                    if (timestamp > lastSyncAcked && timestamp <= lastSyncSent) {
                        lastSyncAcked = timestamp;
                        ackLock.notifyAll();
                    }
                }
            }
            case "size" -> {
                require(instruction, 2);
                int width = integer(instruction, 0);
                int height = integer(instruction, 1);
                if (width < 1 || height < 1 || width > 16384 || height > 16384) {
                    throw bad(instruction, "size out of range");
                }
                if (!rfb.setDesktopSize(width, height)) {
                    log.debug("VNC server does not support SetDesktopSize; ignoring size {}x{}", width, height);
                }
            }
            case "clipboard" -> {
                require(instruction, 2);
                clipboardStream = args.get(1).startsWith("text/") ? args.get(0) : null;
                clipboardData = new java.io.ByteArrayOutputStream();
            }
            case "blob" -> {
                require(instruction, 2);
                if (args.get(0).equals(clipboardStream)) {
                    byte[] data;
                    try {
                        data = Base64.getDecoder().decode(args.get(1));
                    } catch (IllegalArgumentException e) {
                        throw bad(instruction, "blob is not base64");
                    }
                    if (clipboardData.size() + data.length > MAX_CLIPBOARD_BYTES) {
                        throw new GuacamoleClientException("Clipboard data larger than " + MAX_CLIPBOARD_BYTES + " bytes");
                    }
                    clipboardData.write(data);
                }
            }
            case "end" -> {
                require(instruction, 1);
                if (args.get(0).equals(clipboardStream)) {
                    rfb.clipboard(clipboardData.toString(StandardCharsets.UTF_8));
                    clipboardStream = null;
                    clipboardData = null;
                }
            }
            case "disconnect" -> close();
            default -> { } // nop, ack, internal and anything newer: nothing to do, as guacd
        }
    }

    private static void require(GuacamoleInstruction instruction, int count) throws GuacamoleClientException {
        if (instruction.getArgs().size() < count) {
            throw bad(instruction, "expected " + count + " arguments, got " + instruction.getArgs().size());
        }
    }

    private static int integer(GuacamoleInstruction instruction, int index) throws GuacamoleClientException {
        try {
            return Integer.parseInt(instruction.getArgs().get(index));
        } catch (NumberFormatException e) {
            throw bad(instruction, "argument " + (index + 1) + " is not an integer");
        }
    }

    private static GuacamoleClientException bad(GuacamoleInstruction instruction, String why) {
        return new GuacamoleClientException("Malformed \"" + instruction.getOpcode() + "\" instruction: " + why);
    }

    /** Sends an {@code error} instruction to the client and ends the session. */
    public void fail(GuacamoleStatus status, String message) {
        if (closed.get()) {
            return;
        }
        log.info("Closing display session: {} ({})", message, status);
        StringBuilder sb = new StringBuilder();
        Instructions.append(sb, "error", message, status.getGuacamoleStatusCode());
        output.add(sb.toString().toCharArray());
        close();
    }

    // ---------------------------------------------------------------- GuacamoleSocket

    @Override
    public String getProtocol() {
        return "vnc";
    }

    @Override
    public GuacamoleReader getReader() {
        return reader;
    }

    @Override
    public GuacamoleWriter getWriter() {
        return writer;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            rfb.close();
            output.add(END);
            synchronized (ackLock) {
                ackLock.notifyAll();
            }
        }
    }

    private final class Reader implements GuacamoleReader {

        private final GuacamoleParser parser = new GuacamoleParser();
        private char[] pending;
        private int pendingOffset;
        private boolean ended;

        @Override
        public boolean available() {
            return pending != null || !output.isEmpty();
        }

        @Override
        public synchronized char[] read() throws GuacamoleException {
            if (pending != null) {
                char[] rest = java.util.Arrays.copyOfRange(pending, pendingOffset, pending.length);
                pending = null;
                return rest;
            }
            return take();
        }

        private char[] take() throws GuacamoleException {
            if (ended) {
                return null;
            }
            try {
                char[] chunk = output.take();
                queuedChars.addAndGet(-chunk.length);
                if (chunk == END) {
                    ended = true;
                    output.add(END);
                    return null;
                }
                return chunk;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuacamoleServerException("Interrupted while reading the display stream", e);
            }
        }

        @Override
        public synchronized GuacamoleInstruction readInstruction() throws GuacamoleException {
            while (true) {
                if (parser.hasNext()) {
                    return parser.next();
                }
                if (pending == null) {
                    pending = take();
                    pendingOffset = 0;
                    if (pending == null) {
                        return null;
                    }
                }
                pendingOffset += parser.append(pending, pendingOffset, pending.length - pendingOffset);
                if (pendingOffset >= pending.length) {
                    pending = null;
                }
            }
        }
    }

    private final class Writer implements GuacamoleWriter {

        private char[] carry = new char[0];

        @Override
        public synchronized void write(char[] chunk, int offset, int length) throws GuacamoleException {
            if (closed.get()) {
                throw new GuacamoleServerException("The display session is closed");
            }
            try {
                char[] buffer = chunk;
                int start = offset;
                int end = offset + length;
                if (carry.length > 0) {
                    buffer = new char[carry.length + length];
                    System.arraycopy(carry, 0, buffer, 0, carry.length);
                    System.arraycopy(chunk, offset, buffer, carry.length, length);
                    start = 0;
                    end = buffer.length;
                }
                while (start < end) {
                    int parsed = inputParser.append(buffer, start, end - start);
                    start += parsed;
                    while (inputParser.hasNext()) {
                        handle(inputParser.next());
                    }
                    if (parsed == 0) {
                        break; // an element's content is incomplete: wait for more
                    }
                }
                carry = java.util.Arrays.copyOfRange(buffer, start, end);
                if (carry.length > GuacamoleParser.INSTRUCTION_MAX_LENGTH) {
                    throw new GuacamoleClientException("Instruction exceeds the maximum length");
                }
            } catch (GuacamoleClientException e) {
                fail(GuacamoleStatus.CLIENT_BAD_REQUEST, e.getMessage());
                throw e;
            } catch (GuacamoleException e) {
                fail(GuacamoleStatus.CLIENT_BAD_REQUEST, "Malformed instruction: " + e.getMessage());
                throw new GuacamoleClientException(e.getMessage(), e);
            } catch (IOException e) {
                fail(GuacamoleStatus.UPSTREAM_ERROR, "Lost the connection to the display: " + e.getMessage());
                throw new GuacamoleServerException(e.getMessage(), e);
            }
        }

        @Override
        public void write(char[] chunk) throws GuacamoleException {
            write(chunk, 0, chunk.length);
        }

        @Override
        public void writeInstruction(GuacamoleInstruction instruction) throws GuacamoleException {
            write(instruction.toString().toCharArray());
        }
    }
}
