package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.Snapshot;
import io.genos.orchestrator.SnapshotNotFoundException;
import io.genos.spec.Network.Egress;
import io.genos.spec.catalog.Resolution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Snapshots and egress of VMs against the real libvirtd and QEMU (TCG here) with debian-tiny-vm. What a revert undoes
 * is observed inside the guest: a command typed into its serial console shell writes a marker into its RAM (/tmp of
 * the initramfs) and onto its disk (/dev/vda) and prints both; after the revert the same shell, still running,
 * prints that neither is there. Everything created carries owner {@code it-<uuid>} and is removed after each test.
 */
class LibvirtSnapshotsAndNetworkIT {
    private static final Duration BOOT = Duration.ofSeconds(40);
    private static final Path LIBVIRT_SNAPSHOTS = Path.of("/var/lib/libvirt/qemu/snapshot");
    private static Path instances;
    private static LibvirtRuntime runtime;
    private static Connect libvirt;
    private final String owner = "it-" + UUID.randomUUID();
    private final List<String> environments = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        TinyVm.ensureBuilt();
        instances = Files.createTempDirectory("genos-vms-snap-it");
        Files.setPosixFilePermissions(instances, PosixFilePermissions.fromString("rwxr-xr-x"));
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
    }

    /** Removes every domain of this test's owner (with its snapshot metadata) and its files, passed or not. */
    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        for (Domain d : libvirt.listAllDomains(0)) {
            Map<String, String> labels = LibvirtRuntime.labelsOf(d.getXMLDesc(0));
            if (owner.equals(labels.get(EnvironmentRuntime.LABEL_OWNER))) {
                if (d.isActive() == 1) {
                    d.destroy();
                }
                d.undefine(Domain.UndefineFlags.SNAPSHOTS_METADATA);
                environments.add(labels.get(EnvironmentRuntime.LABEL_ENVIRONMENT));
            }
        }
        for (String id : environments) {
            runtime.destroy(new RuntimeHandle(id, null)); // also removes genos-nat once nothing uses it
        }
    }

    private RuntimeRequest request(Resolution resolution) {
        String id = UUID.randomUUID().toString();
        environments.add(id);
        return new RuntimeRequest(id, owner, resolution.spec().name(), resolution, "pw123456");
    }

    private RuntimeHandle boot(Resolution resolution) throws Exception {
        RuntimeHandle handle = runtime.create(request(resolution));
        runtime.start(handle);
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, BOOT);
        return handle;
    }

    @Test
    void revertBringsBackTheRunningVmWithoutWhatItWroteToMemoryAndDiskAfterTheSnapshot() throws Exception {
        RuntimeHandle handle = boot(TinyVm.resolution("snap", Egress.NONE));
        TinyVm.type(runtime, handle, "echo BEFORE-$((6*7))");
        TinyVm.awaitSerial(runtime, handle, "BEFORE-42", Duration.ofSeconds(20));

        long t0 = System.nanoTime();
        Snapshot clean = runtime.snapshot(handle, "clean", "taken by it");
        long t1 = System.nanoTime();
        TinyVm.type(runtime, handle, "echo MARK > /tmp/m; printf MK | dd of=/dev/vda 2>/dev/null; sync; "
                + "echo WROTE-$(cat /tmp/m)-$(head -c2 /dev/vda)");
        TinyVm.awaitSerial(runtime, handle, "WROTE-MARK-MK", Duration.ofSeconds(20));

        assertThat(clean.name()).isEqualTo("clean");
        assertThat(clean.description()).isEqualTo("taken by it");
        assertThat(clean.createdAt()).isBetween(java.time.Instant.now().minusSeconds(120), java.time.Instant.now());
        assertThat(runtime.snapshots(handle)).extracting(Snapshot::name).containsExactly("clean");
        Domain domain = libvirt.domainLookupByUUIDString(handle.ref());
        assertThat(domain.snapshotLookupByName("clean").getXMLDesc())
                .as("a full snapshot: memory and disk, internal to the overlay")
                .contains("<state>running</state>", "<memory snapshot='internal'/>");
        assertThat(qemuImgSnapshots(handle)).contains("clean");

        long t2 = System.nanoTime();
        runtime.revert(handle, "clean");
        long t3 = System.nanoTime();
        assertThat(runtime.inspect(handle).orElseThrow().running()).as("running again, from the saved memory").isTrue();
        TinyVm.type(runtime, handle, "echo AFTER-$(cat /tmp/m 2>/dev/null || echo nomark)-$(head -c2 /dev/vda | tr '\\000' z)");
        TinyVm.awaitSerial(runtime, handle, "AFTER-nomark-zz", Duration.ofSeconds(20));
        assertThat(runtime.logTail(handle, 400)).as("the same shell answered: the VM was not rebooted")
                .doesNotContain("AFTER-MARK");

        assertThatThrownBy(() -> runtime.revert(handle, "nope")).isInstanceOf(SnapshotNotFoundException.class);
        long t4 = System.nanoTime();
        runtime.deleteSnapshot(handle, "clean");
        long t5 = System.nanoTime();
        assertThat(runtime.snapshots(handle)).isEmpty();
        assertThat(qemuImgSnapshots(handle)).doesNotContain("clean");
        assertThatThrownBy(() -> runtime.deleteSnapshot(handle, "clean")).isInstanceOf(SnapshotNotFoundException.class);
        System.out.printf("libvirt snapshots (%s, 256 MiB VM): take (memory+disk) %d ms, revert %d ms, delete %d ms%n",
                runtime.acceleration(), (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000, (t5 - t4) / 1_000_000);
    }

    @Test
    void aSnapshotOfAStoppedVmHoldsItsDiskAndRevertingToItKeepsTheVmStopped() throws Exception {
        RuntimeHandle handle = boot(TinyVm.resolution("cold", Egress.NONE));
        runtime.stop(handle);
        runtime.snapshot(handle, "cold", null);
        runtime.start(handle);
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, BOOT);
        runtime.snapshot(handle, "warm", null);

        assertThat(runtime.snapshots(handle)).extracting(Snapshot::name).containsExactly("cold", "warm");
        Domain domain = libvirt.domainLookupByUUIDString(handle.ref());
        assertThat(DomainXml.snapshotState(domain.snapshotLookupByName("cold").getXMLDesc())).isEqualTo("shutoff");

        runtime.revert(handle, "cold");
        assertThat(runtime.inspect(handle).orElseThrow().running()).isFalse();
        runtime.revert(handle, "warm");
        assertThat(runtime.inspect(handle).orElseThrow().running()).as("a running snapshot starts the VM").isTrue();
        TinyVm.type(runtime, handle, "echo WARM-$((2+3))");
        TinyVm.awaitSerial(runtime, handle, "WARM-5", Duration.ofSeconds(20));
    }

    @Test
    void destroyLeavesNoDomainNoSnapshotMetadataNoFileAndNoNetwork() throws Exception {
        RuntimeRequest request = request(TinyVm.resolution("gone", Egress.OPEN));
        RuntimeHandle handle = runtime.create(request);
        runtime.start(handle);
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, BOOT);
        runtime.snapshot(handle, "one", null);
        runtime.snapshot(handle, "two", null);
        String name = LibvirtRuntime.domainName(request.environmentId());
        assertThat(LIBVIRT_SNAPSHOTS.resolve(name)).as("libvirt keeps snapshot metadata here").isDirectory();
        assertThat(Arrays.asList(libvirt.listNetworks())).contains(LibvirtRuntime.NAT_NETWORK);

        long t0 = System.nanoTime();
        runtime.destroy(handle);
        long t1 = System.nanoTime();

        assertThatThrownBy(() -> libvirt.domainLookupByUUIDString(handle.ref())).isInstanceOf(LibvirtException.class);
        assertThat(LIBVIRT_SNAPSHOTS.resolve(name)).doesNotExist();
        assertThat(instances.resolve(request.environmentId())).doesNotExist();
        if (!otherDomainsOnTheNatNetwork()) {
            assertThat(Arrays.asList(libvirt.listNetworks())).doesNotContain(LibvirtRuntime.NAT_NETWORK);
            assertThat(Arrays.asList(libvirt.listDefinedNetworks())).doesNotContain(LibvirtRuntime.NAT_NETWORK);
        }
        System.out.printf("libvirt: destroy with 2 snapshots and the last VM on genos-nat %d ms%n", (t1 - t0) / 1_000_000);
    }

    @Test
    void egressOpenGetsADhcpLeaseAndReachesTheNatGatewayWhileEgressNoneHasNoNetworkDevice() throws Exception {
        RuntimeHandle open = runtime.create(request(TinyVm.resolution("open", Egress.OPEN)));
        RuntimeHandle none = runtime.create(request(TinyVm.resolution("none", Egress.NONE)));
        long t0 = System.nanoTime();
        runtime.start(open);
        long t1 = System.nanoTime();
        runtime.start(none);

        awaitNetworkLine(open);
        TinyVm.awaitSerial(runtime, none, "GENOS-NET-", Duration.ofSeconds(90));
        Matcher up = Pattern.compile("GENOS-NET-UP (192\\.168\\.150\\.\\d+)/24 gateway (\\S+) (\\w+)")
                .matcher(runtime.logTail(open, 200));
        assertThat(up.find()).as(runtime.logTail(open, 30)).isTrue();
        assertThat(up.group(2)).isEqualTo("192.168.150.1");
        assertThat(up.group(3)).as("the NAT gateway answers a ping from the VM").isEqualTo("answers");
        assertThat(runtime.logTail(none, 200)).contains("GENOS-NET-NONE no network device").doesNotContain("GENOS-NET-UP");

        Domain domain = libvirt.domainLookupByUUIDString(open.ref());
        assertThat(DomainXml.parse(domain.getXMLDesc(0)).networks()).containsExactly(LibvirtRuntime.NAT_NETWORK);
        assertThat(DomainXml.parse(libvirt.domainLookupByUUIDString(none.ref()).getXMLDesc(0)).networks()).isEmpty();
        String net = libvirt.networkLookupByName(LibvirtRuntime.NAT_NETWORK).getXMLDesc(0);
        assertThat(DomainXml.isGenosNetwork(net)).isTrue();
        assertThat(net).contains("<forward mode='nat'>");
        assertThat(runtime.check(TinyVm.resolution("a", Egress.ALLOWLIST))).contains(LibvirtRuntime.ALLOWLIST_WARNING);
        String upstream = hostDefaultGateway();
        if (upstream != null && hostPings(upstream)) { // beyond this host: only through libvirt's NAT (masquerade)
            TinyVm.type(runtime, open, "ping -c 1 -W 3 " + upstream + " >/dev/null && echo BEYOND-$((1+1)) || echo "
                    + "BEYOND-NO");
            TinyVm.awaitSerial(runtime, open, "BEYOND-", Duration.ofSeconds(20));
            assertThat(runtime.logTail(open, 50)).as("the VM reaches the host's own gateway " + upstream + " through NAT")
                    .contains("BEYOND-2");
            System.out.printf("libvirt: the VM with egress open reached the host's gateway %s through NAT%n", upstream);
        } else {
            System.out.printf("libvirt: NAT beyond the host not checked (the host itself cannot ping %s)%n", upstream);
        }
        System.out.printf("libvirt: start of the first VM with egress open (defines and starts genos-nat) %d ms; lease "
                + "%s%n", (t1 - t0) / 1_000_000, up.group(1));
    }

    /** Waits for the guest's network line; when it is not there, asks the guest what udhcpc and eth0 say. */
    private static void awaitNetworkLine(RuntimeHandle handle) throws Exception {
        try {
            TinyVm.awaitSerial(runtime, handle, "GENOS-NET-", Duration.ofSeconds(90));
        } catch (AssertionError noLine) {
            TinyVm.type(runtime, handle, "echo DIAG; cat /run/udhcpc.log; ip addr show eth0; ps");
            Thread.sleep(3000);
            throw new AssertionError(noLine.getMessage() + "\n--- in the guest:\n" + runtime.logTail(handle, 60));
        }
    }

    /** The host's IPv4 default gateway, or null. */
    private static String hostDefaultGateway() throws Exception {
        Process p = new ProcessBuilder("ip", "-4", "route", "show", "default").redirectErrorStream(true).start();
        Matcher m = Pattern.compile("default via (\\S+)").matcher(new String(p.getInputStream().readAllBytes()));
        p.waitFor();
        return m.find() ? m.group(1) : null;
    }

    /** Whether this host itself reaches the address (busybox ping: ensure-libvirt installs busybox-static). */
    private static boolean hostPings(String address) throws Exception {
        Process p = new ProcessBuilder("busybox", "ping", "-c", "1", "-W", "2", address).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private boolean otherDomainsOnTheNatNetwork() throws LibvirtException {
        for (Domain d : libvirt.listAllDomains(0)) {
            if (DomainXml.parse(d.getXMLDesc(Domain.XMLFlags.INACTIVE)).networks().contains(LibvirtRuntime.NAT_NETWORK)) {
                return true;
            }
        }
        return false;
    }

    private String qemuImgSnapshots(RuntimeHandle handle) throws Exception {
        Process p = new ProcessBuilder("qemu-img", "snapshot", "-U", "-l",
                instances.resolve(handle.environmentId()).resolve("disk.qcow2").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
