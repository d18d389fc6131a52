package io.genos.orchestrator.libvirt;

import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.Vnc;
import io.genos.spec.catalog.Resolution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Times the tiny VM from create to its serial marker (and to the first RFB banner) through {@link LibvirtRuntime},
 * next to the same domain XML (same generator, own overlay) started directly with {@code virsh create}, in one run.
 * Run it with (after {@code vm-images/vm/build-tiny}):
 *
 * <pre>
 * cd /work/main &amp;&amp; JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -q -o -pl orchestrator test-compile \
 *     org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.genos.orchestrator.libvirt.LibvirtBenchmark -Dexec.args=5
 * </pre>
 */
public final class LibvirtBenchmark {
    private static final Duration BOOT = Duration.ofSeconds(60);

    private LibvirtBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path instances = Files.createTempDirectory("genos-vms-bench");
        Files.setPosixFilePermissions(instances, PosixFilePermissions.fromString("rwxr-xr-x"));
        String owner = "bench-" + UUID.randomUUID();
        List<long[]> viaRuntime = new ArrayList<>();
        List<long[]> viaVirsh = new ArrayList<>();
        try (LibvirtRuntime runtime = new LibvirtRuntime(
                LibvirtProperties.defaults().withDirectories(TinyVm.IMAGES, instances))) {
            long p0 = System.nanoTime();
            Acceleration a = runtime.acceleration();
            System.out.printf("acceleration: %s (%s), decided in %d ms (once per JVM, not in the figures below)%n", a,
                    runtime.accelerationReason(), ms(System.nanoTime() - p0));
            for (int i = 0; i < runs; i++) {
                viaRuntime.add(throughRuntime(runtime, owner));
                viaVirsh.add(throughVirsh(runtime, instances, owner, a));
                System.out.printf("run %d: runtime create+start %d ms, to RFB banner %d ms, to serial marker %d ms, "
                        + "destroy %d ms | virsh (qemu-img + virsh create) %d ms, to serial marker %d ms, destroy %d ms%n",
                        i + 1, viaRuntime.getLast()[0], viaRuntime.getLast()[1], viaRuntime.getLast()[2],
                        viaRuntime.getLast()[3], viaVirsh.getLast()[0], viaVirsh.getLast()[2], viaVirsh.getLast()[3]);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(instances)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.printf("median of %d: LibvirtRuntime create→serial marker %d ms (create+start %d ms, create→RFB "
                + "banner %d ms); virsh create→serial marker %d ms (create %d ms)%n", runs, median(viaRuntime, 2),
                median(viaRuntime, 0), median(viaRuntime, 1), median(viaVirsh, 2), median(viaVirsh, 0));
    }

    /** @return create+start, create→RFB banner, create→serial marker, destroy (ms) */
    private static long[] throughRuntime(LibvirtRuntime runtime, String owner) throws Exception {
        Resolution r = TinyVm.resolution("bench", 1, 256, null);
        RuntimeRequest request = new RuntimeRequest(UUID.randomUUID().toString(), owner, "bench", r, "pw123456");
        long t0 = System.nanoTime();
        RuntimeHandle handle = runtime.create(request);
        try {
            runtime.start(handle);
            long started = System.nanoTime();
            Vnc.awaitBanner(runtime.inspect(handle).orElseThrow().display(), BOOT);
            long banner = System.nanoTime();
            awaitMarker(runtime.instanceDirectory(request.environmentId()).resolve(LibvirtRuntime.SERIAL_LOG));
            long marker = System.nanoTime();
            runtime.destroy(handle);
            long destroyed = System.nanoTime();
            return new long[] {ms(started - t0), ms(banner - t0), ms(marker - t0), ms(destroyed - marker)};
        } catch (RuntimeException | Error e) {
            runtime.destroy(handle);
            throw e;
        }
    }

    /** The same XML (same generator) with its own overlay, started as a transient domain with virsh create. */
    private static long[] throughVirsh(LibvirtRuntime runtime, Path instances, String owner, Acceleration a)
            throws Exception {
        String id = UUID.randomUUID().toString();
        Path dir = instances.resolve(id);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path image = TinyVm.IMAGES.resolve("debian-tiny-vm");
        Path serial = dir.resolve(LibvirtRuntime.SERIAL_LOG);
        String name = LibvirtRuntime.domainName(id);
        String xml = DomainXml.write(new DomainXml.Definition(name, id, owner, "debian-tiny-vm", "GenOS bench", a, 1,
                256, dir.resolve("disk.qcow2"), image.resolve("disk.qcow2"), image.resolve("vmlinuz"), image.resolve("initrd.img"),
                Files.readString(image.resolve("cmdline")).strip(), serial, "pw123456"));
        Path file = dir.resolve("domain.xml");
        Files.writeString(file, xml);
        long t0 = System.nanoTime();
        try {
            run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", image.resolve("disk.qcow2").toString(),
                    dir.resolve("disk.qcow2").toString());
            run("virsh", "-q", "-c", "qemu:///system", "create", file.toString());
            long created = System.nanoTime();
            awaitMarker(serial);
            long marker = System.nanoTime();
            run("virsh", "-q", "-c", "qemu:///system", "destroy", name);
            long destroyed = System.nanoTime();
            return new long[] {ms(created - t0), 0, ms(marker - t0), ms(destroyed - marker)};
        } catch (RuntimeException | Error e) {
            runtime.destroy(new io.genos.orchestrator.RuntimeHandle(id, null));
            throw e;
        }
    }

    private static void awaitMarker(Path serial) throws Exception {
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(serial)
                    && Files.readString(serial, StandardCharsets.ISO_8859_1).contains(TinyVm.MARKER)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no " + TinyVm.MARKER + " in " + serial + " within " + BOOT.toSeconds() + " s");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    private static long median(List<long[]> rows, int column) {
        long[] v = rows.stream().mapToLong(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
