package io.genos.orchestrator.libvirt;

import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The debian-tiny-vm image as the catalog describes it (vm-images/catalog.json), and how to get it built. */
final class TinyVm {
    static final String MARKER = "GENOS-TINY-READY";
    static final String POWEROFF_MARKER = "GENOS-TINY-POWEROFF";
    static final Path IMAGES = Path.of(System.getenv().getOrDefault("GENOS_IMAGES", "/var/lib/genos/images"));

    private TinyVm() {}

    static CatalogImage image() {
        return new CatalogImage("debian-tiny-vm", Kind.VM, Os.linux("debian", "12"), Desktop.NONE,
                List.of(Streaming.Protocol.VNC), new Resources(1, 256, 1, null), List.of("busybox"), "debian-tiny-vm",
                5900, "tiny test VM");
    }

    static Resolution resolution(String name, int cpus, int memoryMiB, Integer diskGiB) {
        return resolution(name, new Resources(cpus, memoryMiB, diskGiB, null), image());
    }

    static Resolution resolution(String name, Resources resources, CatalogImage image) {
        return resolution(name, resources, image, Network.Egress.NONE);
    }

    static Resolution resolution(String name, Network.Egress egress) {
        return resolution(name, new Resources(1, 256, null, null), image(), egress);
    }

    static Resolution resolution(String name, Resources resources, CatalogImage image, Network.Egress egress) {
        EnvironmentSpec spec = EnvironmentSpec.builder()
                .name(name)
                .kind(Kind.VM)
                .image(image.id())
                .os(Os.linux("debian", "12"))
                .desktop(Desktop.NONE)
                .resources(resources)
                .network(egress == null ? null : new Network(egress, null, null))
                .streaming(new Streaming(Streaming.Protocol.VNC, null, null))
                .build();
        return new Resolution(spec, image, List.of());
    }

    /** Runs vm-images/vm/ensure-libvirt and vm-images/vm/build-tiny (both idempotent and cached). */
    static void ensureBuilt() throws Exception {
        Path vm = repositoryRoot().resolve("vm-images/vm");
        run(vm.resolve("ensure-libvirt").toString());
        run(vm.resolve("build-tiny").toString(), IMAGES.toString());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + ")");
        }
    }

    static Path repositoryRoot() {
        Path dir = new File("").getAbsoluteFile().toPath();
        while (dir != null && !Files.isDirectory(dir.resolve("vm-images/vm"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("vm-images/vm not found above " + new File("").getAbsolutePath());
        }
        return dir;
    }

    /**
     * Types a line into the shell on the VM's serial console, through the pty QEMU gives it: the pty is put in raw mode
     * without echo (else the host's line discipline would echo the guest's output back into the guest) and held open
     * for a moment first, because QEMU only notices once a second that someone opened the other end and until then
     * reads nothing from it.
     */
    static void type(LibvirtRuntime runtime, io.genos.orchestrator.RuntimeHandle handle, String line) throws Exception {
        Path pty = runtime.serialConsole(handle).orElseThrow(() -> new AssertionError("the VM has no serial pty"));
        Process stty = new ProcessBuilder("stty", "-F", pty.toString(), "raw", "-echo").redirectErrorStream(true).start();
        String out = new String(stty.getInputStream().readAllBytes());
        if (!stty.waitFor(10, TimeUnit.SECONDS) || stty.exitValue() != 0) {
            throw new IllegalStateException("stty on " + pty + " failed: " + out);
        }
        try (var console = new java.io.FileOutputStream(pty.toFile())) {
            Thread.sleep(1300);
            console.write((line + "\r").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            console.flush();
            Thread.sleep(300);
        }
    }

    /** Waits until the runtime's serial log shows the line; returns how long that took. */
    static Duration awaitSerial(LibvirtRuntime runtime, io.genos.orchestrator.RuntimeHandle handle, String marker,
            Duration timeout) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (runtime.logTail(handle, 200).contains(marker)) {
                return Duration.ofNanos(System.nanoTime() - t0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + marker + "\" on the serial console within " + timeout.toSeconds()
                + " s; it shows:\n" + runtime.logTail(handle, 30));
    }
}
