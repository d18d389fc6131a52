package io.genos.portal.bench;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.portal.GenosPortalApplication;
import io.genos.spec.DisplayEndpoint;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.streaming.ClientScreen;
import io.genos.streaming.DisplayGateway;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.guacamole.io.GuacamoleReader;
import org.apache.guacamole.net.GuacamoleTunnel;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Request → first streamed frame for a debian-openbox container, through the portal's own services (orchestrator
 * launch, display readiness, the bridge's first {@code sync}), next to a raw {@code docker run} of the same image until
 * its VNC server answers. Prints figures; asserts nothing. Run with {@code ./genos bench}.
 */
public final class ProvisioningBench {

    private static final String IMAGE = "debian-openbox";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path home = Files.createTempDirectory("genos-bench-");
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(GenosPortalApplication.class)
                .properties("genos.home=" + home, "server.port=0", "genos.portal.admin-password=bench-" + UUID.randomUUID(),
                        "logging.level.root=warn")
                .run()) {
            Environments environments = ctx.getBean(Environments.class);
            Catalog catalog = ctx.getBean(Catalog.class);
            DisplayGateway gateway = ctx.getBean(DisplayGateway.class);
            List<long[]> portal = new ArrayList<>();
            List<long[]> composed = new ArrayList<>();
            List<Long> raw = new ArrayList<>();
            // a fresh 3-package layer on debian-shell: request -> RUNNING, the build included
            removeLayer(FRESH_PACKAGES);
            long fresh = terminalRound(environments, catalog, FRESH_PACKAGES);
            // one warm-up of each, not counted: the first container start pays for page cache and JIT (and the first
            // composed launch builds its layer)
            portalRound(environments, catalog, gateway, List.of());
            portalRound(environments, catalog, gateway, CACHED_PACKAGES);
            rawRound();
            for (int i = 0; i < rounds; i++) {
                portal.add(portalRound(environments, catalog, gateway, List.of()));
                composed.add(portalRound(environments, catalog, gateway, CACHED_PACKAGES));
                raw.add(rawRound());
            }
            System.out.printf("%nProvisioning, %s container, %d rounds after one warm-up (median, min..max), this machine:%n",
                    IMAGE, rounds);
            System.out.printf("  GenOS request -> RUNNING (display answers) : %s%n", stats(portal.stream().map(r -> r[0]).toList()));
            System.out.printf("  GenOS request -> first streamed frame      : %s%n", stats(portal.stream().map(r -> r[1]).toList()));
            System.out.printf("  raw docker run -> VNC server answers       : %s%n", stats(raw));
            System.out.printf("  composed from the cache (%s + %s) -> first frame: %s (target <= 1.3x the catalog image's)%n",
                    IMAGE, String.join(", ", CACHED_PACKAGES), stats(composed.stream().map(r -> r[1]).toList()));
            System.out.printf("  a fresh 3-package layer (%s) on debian-shell: request -> RUNNING %d ms, the build included%n",
                    String.join(", ", FRESH_PACKAGES), fresh);
        }
    }

    private static final List<String> CACHED_PACKAGES = List.of("htop", "tree");
    private static final List<String> FRESH_PACKAGES = List.of("bc", "jq", "units");

    /** Removes the composed package layer of exactly these packages (label checked here; not forced). */
    private static void removeLayer(List<String> packages) throws Exception {
        String wanted = String.join(" ", packages.stream().sorted().toList());
        for (String tag : run("docker", "images", "--format", "{{.Repository}}:{{.Tag}}").lines().toList()) {
            if (tag.startsWith("genos-composed:") && run("docker", "image", "inspect", "-f",
                    "{{index .Config.Labels \"io.genos.layer.packages\"}}", tag).strip().equals(wanted)) {
                run("docker", "rmi", tag);
            }
        }
    }

    /** Request -> RUNNING of a terminal environment with these packages. */
    private static long terminalRound(Environments environments, Catalog catalog, List<String> packages) throws Exception {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("bench-" + UUID.randomUUID().toString().substring(0, 6))
                .image("debian-shell").packages(packages).resources(new Resources(1, 512, null, null)).build();
        long t0 = System.nanoTime();
        Environment env = environments.launch(catalog.resolve(spec), "bench");
        try {
            Environment now = env;
            while (now.state() == EnvironmentState.REQUESTED || now.state() == EnvironmentState.PROVISIONING) {
                Thread.sleep(20);
                now = environments.find(env.id()).orElseThrow();
            }
            if (now.state() != EnvironmentState.RUNNING) {
                throw new IllegalStateException("launch failed: " + now.stateReason());
            }
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            environments.destroy(env.id(), "bench");
        }
    }

    /** Returns {ms to RUNNING, ms to first frame}. */
    private static long[] portalRound(Environments environments, Catalog catalog, DisplayGateway gateway,
            List<String> packages) throws Exception {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("bench-" + UUID.randomUUID().toString().substring(0, 6))
                .image(IMAGE).packages(packages.isEmpty() ? null : packages).resources(new Resources(1, 1024, null, null))
                .build();
        long t0 = System.nanoTime();
        Environment env = environments.launch(catalog.resolve(spec), "bench");
        try {
            Environment now = env;
            while (now.state() == EnvironmentState.REQUESTED || now.state() == EnvironmentState.PROVISIONING) {
                Thread.sleep(5);
                now = environments.find(env.id()).orElseThrow();
            }
            if (now.state() != EnvironmentState.RUNNING) {
                throw new IllegalStateException("launch failed: " + now.stateReason());
            }
            long running = System.nanoTime();
            DisplayEndpoint endpoint = environments.display(env.id()).orElseThrow();
            GuacamoleTunnel tunnel = gateway.open(endpoint, new ClientScreen(1024, 768, 96));
            try {
                GuacamoleReader reader = tunnel.acquireReader();
                GuacamoleInstruction ins;
                while ((ins = reader.readInstruction()) != null && !ins.getOpcode().equals("sync")) {
                    // drawing instructions of the first frame
                }
                tunnel.releaseReader();
            } finally {
                tunnel.close();
            }
            long frame = System.nanoTime();
            return new long[] {(running - t0) / 1_000_000, (frame - t0) / 1_000_000};
        } finally {
            environments.destroy(env.id(), "bench");
        }
    }

    private static long rawRound() throws Exception {
        String name = "genos-bench-raw-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        try {
            run("docker", "run", "-d", "--rm", "--init", "--name", name, "--label", "io.genos.product=genos",
                    "-p", "127.0.0.1::5901", "genos/" + IMAGE + ":latest");
            String mapped = run("docker", "port", name, "5901/tcp").lines().findFirst().orElseThrow().strip();
            int port = Integer.parseInt(mapped.substring(mapped.lastIndexOf(':') + 1));
            while (!answersRfb(port)) {
                Thread.sleep(5);
            }
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            run("docker", "rm", "-f", name);
        }
    }

    private static boolean answersRfb(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(300);
            InputStream in = s.getInputStream();
            byte[] banner = in.readNBytes(4);
            return new String(banner, StandardCharsets.US_ASCII).equals("RFB ");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 && !cmd[1].equals("rm")) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return out;
    }

    private static String stats(List<Long> ms) {
        List<Long> s = ms.stream().sorted().toList();
        return String.format("%5d ms  (%d..%d)", s.get(s.size() / 2), s.getFirst(), s.getLast());
    }
}
