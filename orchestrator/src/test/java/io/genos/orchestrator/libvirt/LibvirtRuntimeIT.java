package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.RuntimeStatus;
import io.genos.orchestrator.Specs;
import io.genos.orchestrator.Vnc;
import io.genos.spec.Resources;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The libvirt adapter against the real libvirtd and QEMU with the debian-tiny-vm image (built by
 * vm-images/vm/build-tiny, which {@link #prepare} runs). Every domain it creates carries the GenOS metadata with
 * owner {@code it-<uuid>} and is removed after each test, passed or not.
 */
class LibvirtRuntimeIT {
    private static final String PASSWORD = "pw123456";
    private static final Duration BOOT = Duration.ofSeconds(30);
    private static Path instances;
    private static LibvirtRuntime runtime;
    private static Connect libvirt;
    private final String owner = "it-" + UUID.randomUUID();
    private final List<String> environments = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        TinyVm.ensureBuilt();
        instances = Files.createTempDirectory("genos-vms-it");
        Files.setPosixFilePermissions(instances, PosixFilePermissions.fromString("rwxr-xr-x"));
        runtime = new LibvirtRuntime(LibvirtProperties.defaults().withDirectories(TinyVm.IMAGES, instances));
        libvirt = new Connect("qemu:///system");
        long t0 = System.nanoTime();
        Acceleration a = runtime.acceleration(); // the KVM probe, once, so that it is not in the timings below
        System.out.printf("libvirt: acceleration %s decided in %d ms%n", a, (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void disconnect() throws Exception {
        runtime.close();
        libvirt.close();
        try (var files = Files.list(instances)) {
            assertThat(files.toList()).as("files left in the instances directory").isEmpty();
        }
        Files.delete(instances);
    }

    /** Removes every domain of this test's owner (found by its metadata) and its files, whether the test passed or not. */
    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        for (Domain d : libvirt.listAllDomains(0)) {
            Map<String, String> labels = LibvirtRuntime.labelsOf(d.getXMLDesc(0));
            if (owner.equals(labels.get(EnvironmentRuntime.LABEL_OWNER))) {
                if (d.isActive() == 1) {
                    d.destroy();
                }
                d.undefine();
                environments.add(labels.get(EnvironmentRuntime.LABEL_ENVIRONMENT));
            }
        }
        for (String id : environments) {
            runtime.destroy(new RuntimeHandle(id, null));
        }
    }

    private RuntimeRequest request(Resolution resolution) {
        String id = UUID.randomUUID().toString();
        environments.add(id);
        return new RuntimeRequest(id, owner, resolution.spec().name(), resolution, PASSWORD);
    }

    @Test
    void bootsTheTinyVmWithItsLimitsMetadataAndAPasswordedVncDisplayOnLoopback() throws Exception {
        RuntimeRequest request = request(TinyVm.resolution("tiny", 1, 256, 2));
        long t0 = System.nanoTime();
        RuntimeHandle handle = runtime.create(request);
        long t1 = System.nanoTime();
        runtime.start(handle);
        long t2 = System.nanoTime();
        assertThat(Vnc.awaitBanner(runtime.inspect(handle).orElseThrow().display(), Duration.ofSeconds(10)))
                .startsWith("RFB 003.");
        long t3 = System.nanoTime();
        Duration marker = TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, BOOT).plusNanos(t3 - t2);

        Domain domain = libvirt.domainLookupByUUIDString(handle.ref());
        assertThat(domain.getName()).isEqualTo(LibvirtRuntime.domainName(request.environmentId()))
                .matches("genos-[0-9a-f]{12}");
        String xml = domain.getXMLDesc(Domain.XMLFlags.SECURE);
        DomainXml.Parsed parsed = DomainXml.parse(xml);
        assertThat(parsed.vcpus()).isEqualTo(1);
        assertThat(parsed.memoryKiB()).isEqualTo(256L * 1024);
        assertThat(parsed.type()).isEqualTo(runtime.acceleration().domainType());
        assertThat(parsed.labels()).containsEntry("io.genos.product", "genos")
                .containsEntry("io.genos.environment", request.environmentId())
                .containsEntry("io.genos.owner", owner)
                .containsEntry("io.genos.image", "debian-tiny-vm")
                .containsEntry(LibvirtRuntime.LABEL_ACCELERATION, runtime.acceleration().label());
        assertThat(xml).contains("<genos:env xmlns:genos=\"https://genos.io/xmlns/environment/1\"")
                .contains("<acpi/>").contains("<serial type='pty'>");
        assertThat(parsed.vncListen()).isEqualTo("127.0.0.1");
        assertThat(parsed.vncPassword()).isEqualTo(PASSWORD);

        Path overlay = instances.resolve(request.environmentId()).resolve("disk.qcow2");
        String info = qemuImgInfo(overlay);
        assertThat(info).contains("\"backing-filename\": \"" + TinyVm.IMAGES.resolve("debian-tiny-vm/disk.qcow2") + "\"")
                .contains("\"virtual-size\": " + 2L * 1024 * 1024 * 1024);
        assertThat(Files.getOwner(TinyVm.IMAGES.resolve("debian-tiny-vm/disk.qcow2")).getName())
                .as("the shared base image stays root's while a VM runs on it").isEqualTo("root");

        RuntimeStatus status = runtime.inspect(handle).orElseThrow();
        assertThat(status.running()).isTrue();
        assertThat(status.environmentId()).isEqualTo(request.environmentId());
        assertThat(status.display().getHostString()).isEqualTo("127.0.0.1");
        assertThat(status.display().getPort()).isEqualTo(parsed.vncPort()).isGreaterThanOrEqualTo(5900);
        assertThat(Vnc.authenticate(status.display(), PASSWORD)).as("right password").isZero();
        assertThat(Vnc.authenticate(status.display(), "wrong!!!")).as("wrong password").isEqualTo(1);
        assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_OWNER, owner)))
                .extracting(RuntimeStatus::environmentId).containsExactly(request.environmentId());
        System.out.printf("libvirt (%s): create %d ms, start %d ms, start to serial marker %d ms, start to RFB banner "
                + "%d ms%n", runtime.acceleration(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, marker.toMillis(),
                (t3 - t2) / 1_000_000);
    }

    @Test
    void aScreenshotThroughLibvirtShowsTheShellNotABlankScreen() throws Exception {
        RuntimeHandle handle = runtime.create(request(TinyVm.resolution("shot", 1, 256, null)));
        runtime.start(handle);
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, BOOT);

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int colours;
        BufferedImage image;
        long took;
        do {
            long t0 = System.nanoTime();
            byte[] png = runtime.screenshot(handle);
            took = System.nanoTime() - t0;
            assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            image = ImageIO.read(new ByteArrayInputStream(png));
            colours = colours(image);
        } while (colours < 2 && System.nanoTime() < deadline && sleep(200));
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(640);
        assertThat(colours).as("distinct colours on the VM's screen").isGreaterThanOrEqualTo(2);
        System.out.printf("libvirt: screenshot %dx%d with %d colours in %d ms%n", image.getWidth(), image.getHeight(),
                colours, took / 1_000_000);
    }

    @Test
    void stopsGracefullyStartsAgainAndDestroyLeavesNoDomainAndNoFile() throws Exception {
        RuntimeRequest request = request(TinyVm.resolution("cycle", 1, 256, null));
        RuntimeHandle handle = runtime.create(request);
        Path dir = instances.resolve(request.environmentId());
        runtime.start(handle);
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, BOOT);

        long t0 = System.nanoTime();
        runtime.stop(handle);
        long t1 = System.nanoTime();
        assertThat(runtime.logTail(handle, 20)).as("the VM powered itself off on the ACPI button")
                .contains(TinyVm.POWEROFF_MARKER);
        RuntimeStatus stopped = runtime.inspect(handle).orElseThrow();
        assertThat(stopped.running()).isFalse();
        assertThat(stopped.display()).isNull();
        assertThat(dir.resolve("disk.qcow2")).as("the disk is kept while stopped").isRegularFile();
        assertThat(Files.getOwner(TinyVm.IMAGES.resolve("debian-tiny-vm/disk.qcow2")).getName())
                .as("the shared base image is never handed to QEMU's user").isEqualTo("root");

        runtime.start(handle);
        RuntimeStatus restarted = runtime.inspect(handle).orElseThrow();
        assertThat(restarted.running()).isTrue();
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, BOOT);
        assertThat(runtime.logTail(handle, 50)).as("the serial log starts afresh at each start")
                .doesNotContain(TinyVm.POWEROFF_MARKER);
        assertThat(Vnc.awaitBanner(restarted.display(), Duration.ofSeconds(10))).startsWith("RFB 003.");

        long t2 = System.nanoTime();
        runtime.destroy(handle);
        long t3 = System.nanoTime();
        assertThatThrownBy(() -> libvirt.domainLookupByUUIDString(handle.ref())).isInstanceOf(LibvirtException.class);
        assertThat(libvirt.listDefinedDomains()).doesNotContain(LibvirtRuntime.domainName(request.environmentId()));
        assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, request.environmentId()))).isEmpty();
        assertThat(runtime.inspect(handle)).isEmpty();
        assertThat(dir).doesNotExist();
        runtime.destroy(handle); // idempotent
        System.out.printf("libvirt: graceful ACPI stop %d ms, destroy %d ms%n", (t1 - t0) / 1_000_000,
                (t3 - t2) / 1_000_000);
    }

    @Test
    void aVmThatIgnoresTheAcpiButtonIsPoweredOffAfterTheStopTimeout() throws Exception {
        try (LibvirtRuntime impatient = new LibvirtRuntime(runtime.properties().withStopTimeout(Duration.ZERO))) {
            RuntimeHandle handle = impatient.create(request(TinyVm.resolution("hard", 1, 256, null)));
            impatient.start(handle);
            TinyVm.awaitSerial(impatient, handle, TinyVm.MARKER, BOOT);

            impatient.stop(handle);

            assertThat(impatient.inspect(handle).orElseThrow().running()).isFalse();
            assertThat(impatient.logTail(handle, 20)).doesNotContain(TinyVm.POWEROFF_MARKER);
        }
    }

    @Test
    void runsUnderTheAccelerationItFoundAndWarnsUnderTcg() {
        Acceleration a = runtime.acceleration();
        List<String> warnings = runtime.check(TinyVm.resolution("check", 1, 256, null));

        assertThat(runtime.accelerationReason()).isNotBlank();
        if (a == Acceleration.TCG) {
            assertThat(warnings).contains(LibvirtRuntime.TCG_WARNING);
        } else {
            assertThat(warnings).doesNotContain(LibvirtRuntime.TCG_WARNING);
        }
        System.out.printf("libvirt: acceleration %s (%s)%n", a, runtime.accelerationReason());
    }

    @Test
    void execIsRefusedWithAReadableReason() {
        assertThatThrownBy(() -> runtime.exec(new RuntimeHandle("x", "y"), "true"))
                .isInstanceOf(RuntimeFailureException.class).hasMessageContaining("no guest agent");
    }

    @Test
    void badRequestsAreRefusedAndLeaveNothing() throws Exception {
        Resolution container = Specs.openbox("box", 1, 512, null);
        RuntimeRequest tooSmall = request(TinyVm.resolution("small", 1, 64, null));
        RuntimeRequest noDisk = request(TinyVm.resolution("disk", 1, 256, 0));
        CatalogImage ghost = new CatalogImage("ghost-vm", io.genos.spec.Kind.VM, TinyVm.image().os(),
                TinyVm.image().desktop(), TinyVm.image().protocols(), TinyVm.image().defaults(), List.of(), "ghost-vm",
                5900, "missing");
        RuntimeRequest missing = request(TinyVm.resolution("ghost", new Resources(1, 256, null, null), ghost));
        CatalogImage escape = new CatalogImage("escape", io.genos.spec.Kind.VM, TinyVm.image().os(),
                TinyVm.image().desktop(), TinyVm.image().protocols(), TinyVm.image().defaults(), List.of(), "../etc",
                5900, "path traversal");

        assertThatThrownBy(() -> runtime.check(container)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("debian-openbox is a container image, not a VM image");
        assertThatThrownBy(() -> runtime.create(tooSmall)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("a VM needs at least 128 MiB of memory, the spec asks for 64 MiB");
        assertThatThrownBy(() -> runtime.create(noDisk)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("a VM's disk must be at least 1 GiB, the spec asks for 0");
        assertThatThrownBy(() -> runtime.create(missing)).isInstanceOf(RuntimeFailureException.class)
                .hasMessageStartingWith("the VM image ghost-vm is not on this host")
                .hasMessageEndingWith("build it with ./genos images ghost-vm");
        assertThatThrownBy(() -> runtime.check(TinyVm.resolution("x", new Resources(1, 256, null, null), escape)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("plain directory name");
        assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_OWNER, owner))).isEmpty();
        try (var files = Files.list(instances)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    private static String qemuImgInfo(Path image) throws Exception {
        Process p = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", image.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                seen.add(image.getRGB(x, y));
                if (seen.size() > 16) {
                    return seen.size();
                }
            }
        }
        return seen.size();
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
