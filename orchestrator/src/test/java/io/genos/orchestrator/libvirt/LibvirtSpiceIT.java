package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.RuntimeStatus;
import io.genos.orchestrator.SpiceProbe;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * SPICE displays and registered qcow2 images against the real libvirtd and QEMU: the tiny VM asked for with SPICE, and
 * a blank qcow2 registered as a SPICE image (booted from its disk with the BIOS). Each must answer a SPICE link
 * message ("REDQ") on 127.0.0.1, and destroy must leave no domain and no file. Domains carry owner {@code it-<uuid>}
 * and are removed after each test, passed or not.
 */
class LibvirtSpiceIT {
    private static final String PASSWORD = "spicepw1"; // 8 characters: libvirt refuses longer VNC passwords
    private static Path instances;
    private static Path registered;
    private static LibvirtRuntime runtime;
    private static Connect libvirt;
    private final String owner = "it-" + UUID.randomUUID();
    private final List<String> environments = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        TinyVm.ensureBuilt();
        instances = Files.createTempDirectory("genos-vms-spice-it");
        Files.setPosixFilePermissions(instances, PosixFilePermissions.fromString("rwxr-xr-x"));
        registered = Files.createTempDirectory("genos-registered-it");
        Files.setPosixFilePermissions(registered, PosixFilePermissions.fromString("rwxr-xr-x"));
        runtime = new LibvirtRuntime(LibvirtProperties.defaults().withDirectories(TinyVm.IMAGES, instances));
        libvirt = new Connect("qemu:///system");
        runtime.acceleration();
    }

    @AfterAll
    static void disconnect() throws Exception {
        runtime.close();
        libvirt.close();
        try (var files = Files.list(instances)) {
            assertThat(files.toList()).as("files left in the instances directory").isEmpty();
        }
        Files.delete(instances);
        try (var files = Files.list(registered)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(registered);
    }

    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        for (Domain d : libvirt.listAllDomains(0)) {
            Map<String, String> labels = LibvirtRuntime.labelsOf(d.getXMLDesc(0));
            if (owner.equals(labels.get(EnvironmentRuntime.LABEL_OWNER))) {
                if (d.isActive() == 1) {
                    d.destroy();
                }
                d.undefine();
            }
        }
        for (String id : environments) {
            runtime.destroy(new RuntimeHandle(id, null));
        }
    }

    @Test
    void theTinyVmAskedForWithSpiceAnswersASpiceLinkOnLoopbackAndDestroyLeavesNothing() throws Exception {
        Resolution resolution = resolution(TinyVm.image(), Streaming.Protocol.SPICE);
        assertThat(runtime.displayProtocol(resolution)).isEqualTo(Streaming.Protocol.SPICE);
        assertThat(runtime.check(resolution)).noneMatch(w -> w.contains("spice"));

        RuntimeHandle handle = bootAndCheckSpice(resolution);
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, Duration.ofSeconds(40));

        destroyAndCheckNothingIsLeft(handle);
    }

    @Test
    void aRegisteredQcow2BootsFromItsDiskAsTheReadOnlyBackingFileOfAnOverlayWithSpice() throws Exception {
        Path qcow2 = registered.resolve("blank.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", qcow2.toString(), "1G")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        Files.setPosixFilePermissions(qcow2, PosixFilePermissions.fromString("rw-r--r--"));
        FileTime modified = Files.getLastModifiedTime(qcow2);
        byte[] before = Files.readAllBytes(qcow2);
        CatalogImage image = new CatalogImage("it-blank", Kind.VM, new Os("windows", "windows", "11"), Desktop.WINDOWS,
                List.of(Streaming.Protocol.SPICE), new Resources(1, 256, 1, null), List.of(), qcow2.toString(), 0,
                "registered by LibvirtSpiceIT");
        Resolution resolution = resolution(image, null);
        assertThat(runtime.displayProtocol(resolution)).as("the image speaks only SPICE").isEqualTo(Streaming.Protocol.SPICE);

        RuntimeHandle handle = bootAndCheckSpice(resolution);

        String xml = libvirt.domainLookupByUUIDString(handle.ref()).getXMLDesc(0);
        assertThat(xml).contains("<boot dev='hd'/>").doesNotContain("<kernel>");
        assertThat(xml).contains("<source file='" + qcow2 + "'");
        Process info = new ProcessBuilder("qemu-img", "info", "-U", "--output=json",
                runtime.instanceDirectory(handle.environmentId()).resolve(LibvirtRuntime.DISK).toString())
                .redirectErrorStream(true).start();
        assertThat(new String(info.getInputStream().readAllBytes())).contains("\"backing-filename\": \"" + qcow2 + "\"");
        destroyAndCheckNothingIsLeft(handle);
        assertThat(Files.readAllBytes(qcow2)).as("the registered image is not modified").isEqualTo(before);
        assertThat(Files.getLastModifiedTime(qcow2)).isEqualTo(modified);
    }

    @Test
    void anRdpImageReportsItsDisplayAtTheGuestsLeasedAddressOnPort3389() throws Exception {
        CatalogImage t = TinyVm.image();
        CatalogImage rdp = new CatalogImage("it-rdp", Kind.VM, t.os(), Desktop.NONE, List.of(Streaming.Protocol.RDP),
                t.defaults(), t.packages(), t.reference(), 0, "the tiny VM, said to speak RDP");
        Resolution none = resolution(rdp, null);
        Resolution resolution = new Resolution(none.spec().toBuilder()
                .network(new Network(Network.Egress.OPEN, null, null)).build(), rdp, List.of());
        assertThat(runtime.displayProtocol(resolution)).isEqualTo(Streaming.Protocol.RDP);
        String id = UUID.randomUUID().toString();
        environments.add(id);
        RuntimeHandle handle = runtime.create(new RuntimeRequest(id, owner, "rdp", resolution, PASSWORD));
        runtime.start(handle);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        RuntimeStatus status = runtime.inspect(handle).orElseThrow();
        while (status.display() == null && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = runtime.inspect(handle).orElseThrow();
        }

        assertThat(status.displayProtocol()).isEqualTo(Streaming.Protocol.RDP);
        assertThat(status.display()).as("the guest's lease; serial: %s", runtime.logTail(handle, 20)).isNotNull();
        assertThat(status.display().getHostString()).startsWith(LibvirtRuntime.NAT_PREFIX + ".");
        assertThat(status.display().getPort()).isEqualTo(3389);
        String live = libvirt.domainLookupByUUIDString(handle.ref()).getXMLDesc(0);
        assertThat(live).contains("display=\"rdp\"").contains("<graphics type='vnc'");
        destroyAndCheckNothingIsLeft(handle);
    }

    private RuntimeHandle bootAndCheckSpice(Resolution resolution) throws Exception {
        String id = UUID.randomUUID().toString();
        environments.add(id);
        RuntimeHandle handle = runtime.create(new RuntimeRequest(id, owner, resolution.spec().name(), resolution, PASSWORD));
        runtime.start(handle);
        RuntimeStatus status = runtime.inspect(handle).orElseThrow();
        assertThat(status.displayProtocol()).isEqualTo(Streaming.Protocol.SPICE);
        InetSocketAddress display = status.display();
        assertThat(display).isNotNull();
        assertThat(display.getHostString()).isEqualTo("127.0.0.1");
        long t0 = System.nanoTime();
        String version = awaitSpice(display, Duration.ofSeconds(15));
        System.out.printf("spice: %s answered a link message on %s %d ms after start%n", version, display,
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(version).startsWith("SPICE 2.");
        String live = libvirt.domainLookupByUUIDString(handle.ref()).getXMLDesc(Domain.XMLFlags.SECURE);
        assertThat(live).contains("<graphics type='spice'").contains("passwd='" + PASSWORD + "'")
                .doesNotContain("type='vnc'");
        return handle;
    }

    private void destroyAndCheckNothingIsLeft(RuntimeHandle handle) throws Exception {
        String name = LibvirtRuntime.domainName(handle.environmentId());
        runtime.destroy(handle);
        assertThat(List.of(libvirt.listDefinedDomains())).doesNotContain(name);
        for (int id : libvirt.listDomains()) {
            assertThat(libvirt.domainLookupByID(id).getName()).isNotEqualTo(name);
        }
        assertThat(runtime.instanceDirectory(handle.environmentId())).doesNotExist();
        assertThat(runtime.inspect(handle)).isEmpty();
    }

    private static String awaitSpice(InetSocketAddress address, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return SpiceProbe.link(address, 1000);
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no SPICE answer on " + address + " within " + timeout.toSeconds() + " s", last);
    }

    private static Resolution resolution(CatalogImage image, Streaming.Protocol protocol) {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("spice").kind(Kind.VM).image(image.id()).os(image.os())
                .desktop(Desktop.NONE).resources(new Resources(1, 256, null, null))
                .network(new Network(Network.Egress.NONE, null, null))
                .streaming(protocol == null ? null : new Streaming(protocol, null, null)).build();
        return new Resolution(spec, image, List.of());
    }
}
