package io.genos.streaming.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.guacamole.GuacamoleException;
import org.apache.guacamole.io.GuacamoleReader;
import org.apache.guacamole.net.GuacamoleSocket;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.apache.guacamole.protocol.GuacamoleParser;

/**
 * A protocol-level Guacamole client for tests and the benchmark: reads instructions from a socket past the
 * handshake, acknowledges every {@code sync} like guacamole-common-js does, counts what it receives and, when asked
 * to, keeps a decoded copy of layer 0 (PNG blobs and copies applied) so tests can look at real pixels.
 */
public final class ProtocolClient implements AutoCloseable {

    private record Stream(int layer, int x, int y, ByteArrayOutputStream data) {}

    private final GuacamoleSocket socket;
    private final boolean decode;
    private final boolean acknowledge;
    private final Map<String, Stream> streams = new HashMap<>();
    private final List<String> opcodes = new ArrayList<>();
    private final AtomicLong chars = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong images = new AtomicLong();
    private final AtomicLong copies = new AtomicLong();
    private final AtomicLong jpegs = new AtomicLong();
    private final AtomicLong pixels = new AtomicLong();
    private final Thread thread;
    private volatile BufferedImage screen;
    private volatile GuacamoleInstruction error;
    private volatile GuacamoleInstruction cursor;
    private volatile long firstSyncNanos;
    private volatile Throwable failure;
    private volatile boolean ended;

    public ProtocolClient(GuacamoleSocket socket, boolean decode, boolean acknowledge) {
        this.socket = socket;
        this.decode = decode;
        this.acknowledge = acknowledge;
        this.thread = Thread.ofPlatform().daemon().name("protocol-client").start(this::run);
    }

    private void run() {
        GuacamoleReader reader = socket.getReader();
        GuacamoleParser parser = new GuacamoleParser();
        try {
            char[] chunk;
            while ((chunk = reader.read()) != null) {
                chars.addAndGet(chunk.length);
                int offset = 0;
                while (offset < chunk.length) {
                    int parsed = parser.append(chunk, offset, chunk.length - offset);
                    offset += parsed;
                    while (parser.hasNext()) {
                        handle(parser.next());
                    }
                    if (parsed == 0) {
                        throw new IllegalStateException("Chunk does not end on an instruction boundary");
                    }
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            ended = true;
        }
    }

    private void handle(GuacamoleInstruction instruction) throws GuacamoleException, IOException {
        List<String> a = instruction.getArgs();
        synchronized (opcodes) {
            if (opcodes.size() < 10_000) {
                opcodes.add(instruction.getOpcode());
            }
        }
        switch (instruction.getOpcode()) {
            case "size" -> {
                if (a.getFirst().equals("0") && decode) {
                    screen = new BufferedImage(Integer.parseInt(a.get(1)), Integer.parseInt(a.get(2)), BufferedImage.TYPE_INT_RGB);
                }
            }
            case "img" -> {
                images.incrementAndGet();
                if (a.get(3).equals("image/jpeg")) {
                    jpegs.incrementAndGet();
                }
                streams.put(a.get(0), new Stream(Integer.parseInt(a.get(2)), Integer.parseInt(a.get(4)),
                        Integer.parseInt(a.get(5)), new ByteArrayOutputStream()));
            }
            case "blob" -> {
                Stream s = streams.get(a.get(0));
                if (s != null && decode) {
                    s.data().write(Base64.getDecoder().decode(a.get(1)));
                }
            }
            case "end" -> {
                Stream s = streams.remove(a.get(0));
                if (s != null && decode && s.layer() == 0) {
                    BufferedImage image = ImageIO.read(new ByteArrayInputStream(s.data().toByteArray()));
                    synchronized (this) {
                        screen.getGraphics().drawImage(image, s.x(), s.y(), null);
                    }
                }
            }
            case "copy" -> {
                copies.incrementAndGet();
                if (decode && a.get(0).equals("0") && a.get(6).equals("0")) {
                    int sx = Integer.parseInt(a.get(1));
                    int sy = Integer.parseInt(a.get(2));
                    int w = Integer.parseInt(a.get(3));
                    int h = Integer.parseInt(a.get(4));
                    int dx = Integer.parseInt(a.get(7));
                    int dy = Integer.parseInt(a.get(8));
                    synchronized (this) {
                        int[] pixels = screen.getRGB(sx, sy, w, h, null, 0, w);
                        screen.setRGB(dx, dy, w, h, pixels, 0, w);
                    }
                }
            }
            case "cursor" -> cursor = instruction;
            case "sync" -> {
                if (syncs.incrementAndGet() == 1) {
                    firstSyncNanos = System.nanoTime();
                }
                if (acknowledge) {
                    socket.getWriter().writeInstruction(new GuacamoleInstruction("sync", a.getFirst()));
                }
            }
            case "error" -> error = instruction;
            default -> { }
        }
    }

    public void send(String opcode, String... args) throws GuacamoleException {
        socket.getWriter().writeInstruction(new GuacamoleInstruction(opcode, args));
    }

    /** Presses and releases a key for each character of {@code text} (ASCII; '\n' is Return). */
    public void type(String text) throws GuacamoleException {
        for (char c : text.toCharArray()) {
            String keysym = Integer.toString(c == '\n' ? 0xFF0D : c);
            send("key", keysym, "1");
            send("key", keysym, "0");
        }
    }

    public long chars() {
        return chars.get();
    }

    public long syncs() {
        return syncs.get();
    }

    public long images() {
        return images.get();
    }

    /** {@code img} streams sent as JPEG. */
    public long jpegs() {
        return jpegs.get();
    }

    public long copies() {
        return copies.get();
    }

    public long firstSyncNanos() {
        return firstSyncNanos;
    }

    public GuacamoleInstruction error() {
        return error;
    }

    public GuacamoleInstruction cursor() {
        return cursor;
    }

    public boolean ended() {
        return ended;
    }

    public Throwable failure() {
        return failure;
    }

    public List<String> opcodes() {
        synchronized (opcodes) {
            return List.copyOf(opcodes);
        }
    }

    /** A copy of the decoded screen (layer 0). */
    public synchronized BufferedImage screen() {
        BufferedImage copy = new BufferedImage(screen.getWidth(), screen.getHeight(), BufferedImage.TYPE_INT_RGB);
        copy.getGraphics().drawImage(screen, 0, 0, null);
        return copy;
    }

    /** Waits until {@code condition} holds, failing after {@code millis}. */
    public void await(String what, long millis, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + millis + " ms waiting for " + what
                        + (failure != null ? " (client failed: " + failure + ")" : "")
                        + (error != null ? " (error: " + error + ")" : ""));
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws GuacamoleException {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
