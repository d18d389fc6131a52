package io.genos.streaming.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A genos/debian-openbox container (TigerVNC Xvnc on :1, openbox, xterm) started with the docker CLI, labelled
 * io.genos.product=genos, its VNC port published on an ephemeral loopback port, and removed by {@link #close()}.
 */
public final class DesktopContainer implements AutoCloseable {

    public static final String IMAGE = "genos/debian-openbox:latest";

    private final String id;
    private final int port;

    private DesktopContainer(String id, int port) {
        this.id = id;
        this.port = port;
    }

    /** Starts a desktop with VNC authentication ({@code password} non-null) or none, and waits for RFB and xterm. */
    public static DesktopContainer start(String password, String geometry) {
        List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--init", "--label", "io.genos.product=genos",
                "--label", "io.genos.test=streaming", "-p", "127.0.0.1::5901", "-e", "GENOS_GEOMETRY=" + geometry));
        if (password != null) {
            command.addAll(List.of("-e", "GENOS_VNC_PASSWORD=" + password));
        }
        command.add(IMAGE);
        String id = run(command).strip();
        try {
            String mapping = run(List.of("docker", "port", id, "5901/tcp")).lines().findFirst().orElseThrow().strip();
            int port = Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1));
            DesktopContainer container = new DesktopContainer(id, port);
            container.awaitReady();
            return container;
        } catch (RuntimeException e) {
            run(List.of("docker", "rm", "-f", id));
            throw e;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(1000);
                InputStream in = socket.getInputStream();
                byte[] banner = in.readNBytes(12);
                if (new String(banner, StandardCharsets.US_ASCII).startsWith("RFB ")
                        && exec("pgrep -x xterm >/dev/null") == 0) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Desktop container " + id + " did not become ready: " + logs());
            }
            sleep(100);
        }
    }

    public String id() {
        return id;
    }

    public int port() {
        return port;
    }

    /** Runs {@code sh -c script} as the desktop's user with DISPLAY=:1 and returns the exit code. */
    public int exec(String script) {
        try {
            Process p = new ProcessBuilder("docker", "exec", "-e", "DISPLAY=:1", id, "sh", "-c", script)
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies a class-path resource of the tests into the container at {@code path}. */
    public void copyResource(String resource, String path) {
        try (var in = DesktopContainer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile("genos-resource-", "");
            try {
                java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                run(List.of("docker", "cp", tmp.toString(), id + ":" + path));
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts video-like content in a window: W x H random pixels, FPS times a second, at (x, y) — see the test resource
     * {@code noise.py} (python3 speaking X11 on the socket).
     */
    public void startNoise(int w, int h, int fps, int x, int y) {
        copyResource("/io/genos/streaming/noise.py", "/tmp/genos-noise.py");
        execDetached("exec python3 /tmp/genos-noise.py " + w + " " + h + " " + fps + " " + x + " " + y);
    }

    public void stopNoise() {
        exec("pkill -f '[g]enos-noise.py'");
    }

    /** Starts {@code sh -c script} detached inside the container. */
    public void execDetached(String script) {
        run(List.of("docker", "exec", "-d", "-e", "DISPLAY=:1", id, "sh", "-c", script));
    }

    public boolean fileExists(String path) {
        return exec("test -f '" + path + "'") == 0;
    }

    public String logs() {
        return run(List.of("docker", "exec", id, "sh", "-c", "cat /home/user/.vnc/Xvnc.log 2>/dev/null | tail -20"));
    }

    @Override
    public void close() {
        run(List.of("docker", "rm", "-f", id));
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 && !command.contains("rm")) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
