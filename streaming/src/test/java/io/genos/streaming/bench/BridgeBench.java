package io.genos.streaming.bench;

import io.genos.streaming.support.DesktopContainer;
import io.genos.streaming.support.ProtocolClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.guacamole.net.InetGuacamoleSocket;
import org.apache.guacamole.protocol.ConfiguredGuacamoleSocket;
import org.apache.guacamole.protocol.GuacamoleConfiguration;

/**
 * Measures the embedded bridge like guacd was measured on this machine: a genos/debian-openbox desktop at 1024x768,
 * the bridge's guacd-compatible server in its own JVM (so its CPU is the process's CPU), and a protocol-level client
 * that acknowledges every sync as a browser does. Run from /work/main after {@code mvn -pl streaming test-compile}:
 *
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q -o -pl streaming test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/streaming-cp.txt
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp streaming/target/test-classes:streaming/target/classes:$(cat /tmp/streaming-cp.txt) io.genos.streaming.bench.BridgeBench [seconds]
 * </pre>
 * {@code -Dbench.serverJvmArgs="-XX:StartFlightRecording=filename=/tmp/bridge.jfr"} passes options to the bridge's JVM.
 */
public final class BridgeBench {

    private static final String PASSWORD = "bench123";

    private BridgeBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Process server = startServer();
        try (DesktopContainer desktop = DesktopContainer.start(PASSWORD, "1024x768")) {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = serverOut.readLine();
            while (line != null && !line.startsWith("PORT ")) {
                line = serverOut.readLine(); // e.g. JVM messages
            }
            if (line == null || !line.startsWith("PORT ")) {
                throw new IllegalStateException("bridge server did not start: " + line);
            }
            int port = Integer.parseInt(line.substring(5).strip());
            Thread.sleep(4000); // let openbox map the xterm so that every run sees the same screen
            System.out.printf(Locale.ROOT, "Bridge server pid %d on 127.0.0.1:%d, desktop %s on port %d%n%n",
                    server.pid(), port, desktop.id().substring(0, 12), desktop.port());

            // First frame: a cold bridge JVM, then warm ones.
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try (ProtocolClient client = connect(port, desktop.port())) {
                    client.await("the first frame", 20_000, () -> client.syncs() >= 1);
                    System.out.printf(Locale.ROOT, "connect -> first complete frame (%s): %.1f ms, %d KB%n",
                            i == 0 ? "cold JVM" : "warm", (client.firstSyncNanos() - start) / 1e6, client.chars() / 1024);
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "%-26s %9s %11s %10s %9s %7s %7s   %s%n", "scenario (" + seconds + " s)", "syncs/s",
                    "KB/s", "CPU %core", "img/s", "JPEG", "copy/s", "guacd reference");
            try (ProtocolClient client = connect(port, desktop.port())) {
                client.await("the first frame", 20_000, () -> client.syncs() >= 1);
                Thread.sleep(1000);

                measure("static screen", seconds, client, server, "0 syncs, nothing sent");

                desktop.execDetached("exec xterm -T genos-scroller -geometry 100x30+40+40 -fa 'DejaVu Sans Mono' -fs 11"
                        + " -e sh -c 'while :; do date; sleep 0.05; done'");
                Thread.sleep(1500);
                measure("xterm scrolling ~20 l/s", seconds, client, server,
                        "18 syncs/s, 670 KB/s, 20% (noVNC ~180 KB/s)");
                desktop.exec("pkill -f genos-scroller");

                // openbox keeps a new unfocused window below the focused xterm: close the xterms (and the session
                // loop that reopens them) so the gears are fully visible.
                desktop.exec("pkill -f '[e]tc/genos/session'; pkill -x xterm");
                desktop.execDetached("exec glxgears -geometry 300x300");
                Thread.sleep(1500);
                measure("glxgears 300x300", seconds, client, server, "70 syncs/s, 430 KB/s, 17%");
                desktop.exec("pkill -x glxgears");

                // Video-like content: random pixels, where lossless PNG cannot compress and JPEG takes over.
                desktop.startNoise(256, 256, 20, 100, 100);
                Thread.sleep(1500);
                measure("noise 256x256 at 20 fps", seconds, client, server, "no guacd figure; all-PNG: 5108 KB/s, 21 %");
                desktop.stopNoise();
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroy();
            }
        }
    }

    private static void measure(String name, int seconds, ProtocolClient client, Process server, String reference)
            throws InterruptedException {
        long syncs = client.syncs();
        long chars = client.chars();
        long images = client.images();
        long copies = client.copies();
        long jpegs = client.jpegs();
        Duration cpu = cpu(server);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuShare = (cpu(server).minus(cpu).toNanos() / 1e9) / elapsed * 100;
        System.out.printf(Locale.ROOT, "%-26s %9.1f %11.1f %9.1f%% %9.1f %6.0f%% %7.1f   %s%n", name,
                (client.syncs() - syncs) / elapsed, (client.chars() - chars) / 1024.0 / elapsed, cpuShare,
                (client.images() - images) / elapsed,
                client.images() == images ? 0.0 : 100.0 * (client.jpegs() - jpegs) / (client.images() - images),
                (client.copies() - copies) / elapsed, reference);
    }

    private static Duration cpu(Process process) {
        return process.toHandle().info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("the OS does not report the bridge process's CPU time"));
    }

    private static ProtocolClient connect(int bridgePort, int vncPort) throws Exception {
        GuacamoleConfiguration config = new GuacamoleConfiguration();
        config.setProtocol("vnc");
        config.setParameter("hostname", "127.0.0.1");
        config.setParameter("port", Integer.toString(vncPort));
        config.setParameter("password", PASSWORD);
        return new ProtocolClient(new ConfiguredGuacamoleSocket(new InetGuacamoleSocket("127.0.0.1", bridgePort), config),
                false, true);
    }

    private static Process startServer() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin));
        String extra = System.getProperty("bench.serverJvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BridgeServerMain.class.getName()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
