package io.genos.orchestrator.libvirt;

import io.genos.orchestrator.BuildListener;
import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.ExecResult;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.OrchestratorProperties;
import io.genos.orchestrator.PackageCheck;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.RuntimeStatus;
import io.genos.orchestrator.Snapshot;
import io.genos.orchestrator.SnapshotNotFoundException;
import io.genos.orchestrator.Terminal;
import io.genos.orchestrator.TerminalOutput;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.PackageIndexes;
import io.genos.spec.catalog.Resolution;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainSnapshot;
import org.libvirt.Network;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs VM environments as QEMU domains on libvirt.
 *
 * <p>Each environment gets a directory {@code <instancesDir>/<environment id>} holding a copy-on-write qcow2 overlay
 * ({@code disk.qcow2}) on the catalog image's base disk, grown to the spec's {@code diskGiB} when given, and the
 * serial console's log ({@code serial.log}, rewritten at every start). The domain, named {@code genos-<12 hex of the
 * id>}, is persistent (defined, then started), has the spec's vCPUs and memory, ACPI (so that {@link #stop} can shut
 * it down gracefully), a serial console, and a VNC display on 127.0.0.1 with a libvirt-chosen port and the
 * environment's password. Its XML carries {@code <genos:env id owner product image acceleration/>} in the namespace
 * {@value DomainXml#NAMESPACE}, read back as the labels of {@link RuntimeStatus}.
 *
 * <p>An image is a directory {@code <imagesDir>/<catalog reference>} with {@code disk.qcow2} and, for direct kernel
 * boot, {@code vmlinuz}, {@code initrd.img} and {@code cmdline}; without a kernel the VM boots from its disk.
 *
 * <p>Whether KVM works is found out once by trying ({@link #acceleration()}); under TCG {@link #check} warns
 * ({@value #TCG_WARNING}) and the label {@value #LABEL_ACCELERATION} says {@code tcg}. Nothing can be run inside a VM
 * ({@link #exec} throws): there is no guest agent.
 *
 * <p>Network by the spec's egress: {@code none} gives the VM no network device at all (no route out, not even to the
 * host); {@code allowlist} is not enforced yet and is treated as {@code none}, with a warning; {@code open} (or unset)
 * puts one virtio NIC on the shared libvirt network {@value #NAT_NETWORK} (bridge {@value #NAT_BRIDGE},
 * {@value #NAT_PREFIX}.0/24, DHCP by libvirt's dnsmasq, NAT to the outside), defined with GenOS metadata when a VM
 * that needs it starts and removed when the last VM on it is destroyed. One shared network rather than one per
 * environment: VMs with egress open need the same thing (a way out), and one /24 needs no subnet bookkeeping.
 *
 * <p>Displays: VNC by default; SPICE (with a QXL card, same loopback address and password) when the spec asks for it
 * or the image speaks only SPICE; for an image that speaks only RDP the display is the guest's own RDP server at its
 * DHCP lease on {@value #NAT_NETWORK}, port {@value #RDP_PORT} (the VNC console stays, for screenshots). An image an
 * admin registered names the absolute path of its qcow2 instead of a directory: it is the overlay's backing file,
 * never written, and boots from its disk.
 *
 * <p>Snapshots are libvirt's internal qcow2 snapshots of the overlay: taken while the VM runs they hold its memory
 * and disk (QEMU's savevm, the guest pauses for about a second), so a revert brings back the running VM as it was;
 * taken while it is stopped they hold the disk only. External snapshots are not used: libvirt 9.0 (Debian 12) cannot
 * revert to them. This works the same under TCG and KVM. Their metadata goes with the domain on {@link #destroy}, and
 * their data with the overlay.
 */
public class LibvirtRuntime implements EnvironmentRuntime, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LibvirtRuntime.class);
    /** Label (read from the domain's metadata): {@code kvm} or {@code tcg}. */
    public static final String LABEL_ACCELERATION = "io.genos.acceleration";
    /** Label (read from the domain's metadata): what the display speaks, {@code vnc}, {@code spice} or {@code rdp}. */
    public static final String LABEL_DISPLAY = "io.genos.display";
    /** The port of a guest's own RDP server. */
    static final int RDP_PORT = 3389;
    public static final String TCG_WARNING = "running under software emulation (TCG): slower than KVM";
    /** The libvirt network of VMs with egress open. */
    public static final String NAT_NETWORK = "genos-nat";
    static final String NAT_BRIDGE = "genos-nat0";
    static final String NAT_PREFIX = "192.168.150";
    public static final String ALLOWLIST_WARNING = "egress allowlist is not enforced for VMs yet: this VM gets no "
            + "network at all (as with egress none)";
    public static final String PORTS_WARNING = "ports are not published for VMs yet: this VM's ports are not reachable";
    /** Networks are defined and removed under this lock (within this JVM). */
    private static final Object NETWORKS = new Object();
    static final String DISK = "disk.qcow2";
    static final String SERIAL_LOG = "serial.log";
    private static final String LOOPBACK = "127.0.0.1";
    private static final long GIB = 1024L * 1024 * 1024;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** An image with packages that {@link VmImageComposer} built: {@code debian-vm+<hash>}. */
    private static final Pattern COMPOSED_NAME = VmImageCache.COMPOSED_NAME;
    private static final Pattern VIRTUAL_SIZE = Pattern.compile("\"virtual-size\"\\s*:\\s*(\\d+)");
    private static final Pattern TERMINAL_CONTROL = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\r");

    /** What the probe found, per libvirt URI: it is tried once per JVM and host. */
    private static final Map<String, Decision> DECISIONS = new java.util.concurrent.ConcurrentHashMap<>();
    /** libvirt's C library prints every error on stderr unless a callback takes them; they become exceptions here. */
    private static final org.libvirt.ErrorCallback QUIET = new org.libvirt.ErrorCallback();

    static {
        try {
            Connect.setErrorCallback(QUIET);
        } catch (LibvirtException | LinkageError e) {
            log.debug("could not silence libvirt's error printing: {}", e.toString());
        }
    }

    private record Decision(Acceleration acceleration, String reason) {}

    private final LibvirtProperties properties;
    private final VmImageCache imageCache;
    private final VmImageComposer composer;
    private final PackageCheck packages;
    private Connect connect;
    private volatile Acceleration acceleration;
    private volatile String accelerationReason;

    /** A runtime for these settings; it connects at first use and {@link #close()} disconnects. */
    public LibvirtRuntime(LibvirtProperties properties) {
        this(properties, OrchestratorProperties.defaults().buildTimeout(),
                OrchestratorProperties.defaults().packageIndexDir());
    }

    /**
     * A runtime that builds VM images with packages within {@code buildTimeout}, checking package names against the
     * indexes in {@code packageIndexDir}.
     */
    public LibvirtRuntime(LibvirtProperties properties, java.time.Duration buildTimeout, Path packageIndexDir) {
        this.properties = properties;
        this.composer = new VmImageComposer(properties.imagesDir(), properties.buildScript(), buildTimeout);
        this.imageCache = new VmImageCache(properties.imagesDir(), properties.instancesDir());
        this.packages = new PackageCheck(new PackageIndexes(packageIndexDir));
    }

    @Override
    public synchronized void close() {
        if (connect != null) {
            try {
                connect.close();
            } catch (LibvirtException e) {
                log.debug("closing the libvirt connection: {}", e.toString());
            }
            connect = null;
        }
    }

    public LibvirtProperties properties() {
        return properties;
    }

    @Override
    public boolean supports(Kind kind) {
        return kind == Kind.VM;
    }

    @Override
    public List<String> check(Resolution resolution) {
        CatalogImage image = resolution.image();
        EnvironmentSpec spec = resolution.spec();
        if (image.kind() != Kind.VM) {
            throw new InvalidRequestException(image.id() + " is a " + image.kind().json() + " image, not a VM image");
        }
        if (resolution.composed()) {
            VmImageComposer.check(resolution.composition());
        }
        if (image.reference() == null || !SAFE_NAME.matcher(image.reference()).matches()
                && !COMPOSED_NAME.matcher(image.reference()).matches() && !external(image)) {
            throw new InvalidRequestException("the catalog image " + image.id() + " names no VM image directory "
                    + "(its reference must be a plain directory name, was \"" + image.reference() + "\")");
        }
        Resources r = resources(resolution);
        if (r.cpus() < 1) {
            throw new InvalidRequestException("a VM needs at least 1 CPU, the spec asks for " + r.cpus());
        }
        int hostCpus = Runtime.getRuntime().availableProcessors();
        if (r.cpus() > hostCpus) {
            throw new InvalidRequestException("this host has " + hostCpus + " CPUs; a VM can have at most that many, "
                    + "the spec asks for " + r.cpus());
        }
        if (r.memoryMiB() < 128) {
            throw new InvalidRequestException("a VM needs at least 128 MiB of memory, the spec asks for "
                    + r.memoryMiB() + " MiB");
        }
        if (r.diskGiB() != null && r.diskGiB() < 1) {
            throw new InvalidRequestException("a VM's disk must be at least 1 GiB, the spec asks for " + r.diskGiB());
        }
        List<String> warnings = new ArrayList<>();
        if (acceleration() == Acceleration.TCG) {
            warnings.add(TCG_WARNING);
        }
        boolean ports = spec.network() != null && spec.network().ports() != null && !spec.network().ports().isEmpty();
        if (displayProtocol(resolution) == Streaming.Protocol.RDP && network(spec) == null) {
            throw new InvalidRequestException(image.id() + " is shown over RDP, which GenOS reaches over the VM's network, "
                    + "and egress " + egress(spec).name().toLowerCase(java.util.Locale.ROOT) + " gives it none: ask "
                    + "for egress open");
        }
        if (egress(spec) == Egress.ALLOWLIST) {
            warnings.add(ALLOWLIST_WARNING);
        }
        if (ports) {
            warnings.add(PORTS_WARNING);
        }
        if (r.gpusOrZero() > 0) {
            warnings.add("GPUs are not passed to VMs yet: this VM has none");
        }
        if (spec.streaming() != null && spec.streaming().protocol() != null
                && spec.streaming().protocol() != displayProtocol(resolution)) {
            warnings.add("this VM's display speaks " + displayProtocol(resolution).json() + ", not "
                    + spec.streaming().protocol().json() + " (QEMU serves VNC or SPICE; RDP only when the image speaks it)");
        }
        if (resolution.composed()) {
            packages.check(resolution).ifPresent(warnings::add);
        } else if (!COMPOSED_NAME.matcher(image.reference()).matches()) {
            EnvironmentRuntime.missingPackages(resolution).ifPresent(warnings::add);
        }
        return warnings;
    }

    /** Builds (or reuses, or waits for) the image with the composition's packages: see {@link VmImageComposer}. */
    @Override
    public Resolution compose(Resolution resolution, BuildListener listener) {
        if (!resolution.composed()) {
            return resolution;
        }
        check(resolution);
        return resolution.withComposedImage(composer.compose(resolution.composition(), listener));
    }

    @Override
    public void ping() {
        try {
            connection().getLibVersion();
        } catch (org.libvirt.LibvirtException e) {
            throw new RuntimeFailureException("libvirtd does not answer: " + e.getMessage(), e);
        }
    }

    /** The derived VM images ("a Debian VM with htop"), for the image cache. */
    @Override
    public List<io.genos.orchestrator.CachedImage> cachedImages() {
        return imageCache.list();
    }

    @Override
    public void removeCachedImage(String ref) {
        imageCache.remove(ref);
    }

    @Override
    public List<String> layersToBuild(Resolution resolution) {
        return resolution.composed() ? composer.missing(resolution.composition()) : List.of();
    }

    @Override
    public RuntimeHandle create(RuntimeRequest request) {
        Resolution resolution = request.resolution();
        check(resolution);
        String id = request.environmentId();
        if (id == null || !SAFE_NAME.matcher(id).matches()) {
            throw new InvalidRequestException("the environment id \"" + id + "\" cannot name a VM");
        }
        CatalogImage image = resolution.image();
        boolean external = external(image);
        Path imageDir = external ? Path.of(image.reference()).getParent() : properties.imagesDir().resolve(image.reference());
        Path base = external ? Path.of(image.reference()) : imageDir.resolve(DISK);
        if (external && !Files.isReadable(base)) {
            throw new RuntimeFailureException("the registered VM image " + image.id() + " is not on this host (no "
                    + base + " that can be read): an admin registered it; ask them to restore the file");
        }
        if (!Files.isRegularFile(base)) {
            throw new RuntimeFailureException("the VM image " + image.reference() + " is not on this host (no " + base
                    + "): build it with ./genos images " + image.id());
        }
        Resources r = resources(resolution);
        String baseInfo = run(List.of("qemu-img", "info", "-U", "--output=json", base.toString()), "read the VM image");
        if (baseInfo.contains("\"backing-filename\"")) {
            throw new RuntimeFailureException("the VM image " + base + " has a backing file itself; GenOS needs "
                    + "standalone base images (qemu-img convert it)");
        }
        long baseBytes = virtualSize(baseInfo, base);
        if (r.diskGiB() != null && r.diskGiB() * GIB < baseBytes) {
            throw new InvalidRequestException("the disk of " + r.diskGiB() + " GiB is smaller than the image "
                    + image.id() + "'s own disk (" + (baseBytes + GIB - 1) / GIB + " GiB)");
        }
        Acceleration accel = acceleration();
        Path dir = instanceDirectory(id);
        if (Files.exists(dir)) {
            throw new RuntimeFailureException("files of environment " + id + " already exist in " + dir
                    + ": destroy that environment first");
        }
        try {
            directory(properties.instancesDir());
            directory(dir);
            Path overlay = dir.resolve(DISK);
            List<String> qemuImg = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2",
                    "-b", base.toString(), overlay.toString()));
            if (r.diskGiB() != null) {
                qemuImg.add(r.diskGiB() + "G");
            }
            run(qemuImg, "create the VM's disk");
            Path kernel = imageDir.resolve("vmlinuz");
            boolean direct = !external && Files.isRegularFile(kernel);
            Path initrd = imageDir.resolve("initrd.img");
            String xml = DomainXml.withLabels(DomainXml.write(new DomainXml.Definition(domainName(id), id, request.owner(), image.id(),
                    "GenOS " + request.name() + " (" + request.owner() + ")", accel, r.cpus(), r.memoryMiB(), overlay,
                    base, direct ? kernel : null, direct && Files.isRegularFile(initrd) ? initrd : null,
                    direct ? cmdline(imageDir) : null, dir.resolve(SERIAL_LOG), request.displayPassword(),
                    network(resolution.spec()), displayProtocol(resolution))),
                    request.labels());
            Domain domain = connection().domainDefineXML(xml);
            return new RuntimeHandle(id, domain.getUUIDString());
        } catch (LibvirtException | IOException | RuntimeException e) {
            try {
                destroy(new RuntimeHandle(id, null));
            } catch (RuntimeException cleanup) {
                log.warn("could not clean up after creating {} failed: {}", id, cleanup.toString());
            }
            if (e instanceof RuntimeFailureException rfe) {
                throw rfe;
            }
            throw e instanceof LibvirtException le ? refused("define the VM", le)
                    : new RuntimeFailureException("could not create the VM: " + e.getMessage(), e);
        }
    }

    @Override
    public void start(RuntimeHandle handle) {
        try {
            Domain d = domain(handle);
            if (d.isActive() != 1) {
                ensureNetworks(d);
                d.create();
            }
        } catch (LibvirtException e) {
            throw refused("start the VM", e);
        }
    }

    /**
     * The display a VM of this resolution gets: SPICE when the spec asks for it or the image speaks only SPICE (QEMU's
     * SPICE server); RDP when the image speaks only RDP, or the spec asks for RDP and the image speaks it (the guest's
     * own server, reached at its address on the VM's network); else VNC (QEMU's VNC server).
     */
    @Override
    public Streaming.Protocol displayProtocol(Resolution resolution) {
        Streaming s = resolution.spec().streaming();
        Streaming.Protocol asked = s == null ? null : s.protocol();
        List<Streaming.Protocol> spoken = resolution.image().protocols();
        if (asked == Streaming.Protocol.SPICE) {
            return Streaming.Protocol.SPICE;
        }
        if (asked == Streaming.Protocol.RDP && spoken.contains(Streaming.Protocol.RDP)
                || !spoken.isEmpty() && spoken.stream().allMatch(p -> p == Streaming.Protocol.RDP)) {
            return Streaming.Protocol.RDP;
        }
        if (spoken.contains(Streaming.Protocol.SPICE) && !spoken.contains(Streaming.Protocol.VNC)) {
            return Streaming.Protocol.SPICE;
        }
        return Streaming.Protocol.VNC;
    }

    /**
     * Whether the image is one an admin registered: its reference is the absolute path of a standalone qcow2 on this
     * host (booted from its disk with the BIOS, used read-only as the backing file of each VM's overlay), rather than
     * a directory name in {@code imagesDir}.
     */
    static boolean external(CatalogImage image) {
        String ref = image.reference();
        return ref != null && ref.startsWith("/") && Path.of(ref).isAbsolute()
                && Path.of(ref).normalize().toString().equals(ref) && Path.of(ref).getParent() != null;
    }

    /** The network a VM of this spec is put on: {@value #NAT_NETWORK} for egress open (or unset), else none. */
    static String network(EnvironmentSpec spec) {
        return egress(spec) == Egress.OPEN ? NAT_NETWORK : null;
    }

    private static Egress egress(EnvironmentSpec spec) {
        return spec.network() == null || spec.network().egress() == null ? Egress.OPEN : spec.network().egress();
    }

    /**
     * Takes an internal snapshot: of memory and disk while the VM runs, of the disk while it is stopped.
     *
     * @param name validated by the caller ({@link Snapshot#checkName})
     */
    @Override
    public Snapshot snapshot(RuntimeHandle handle, String name, String description) {
        Snapshot.checkName(name);
        try {
            Domain d = domain(handle);
            DomainSnapshot s = d.snapshotCreateXML(DomainXml.snapshot(name, description), 0);
            try {
                return DomainXml.parseSnapshot(s.getXMLDesc());
            } finally {
                s.free();
            }
        } catch (LibvirtException e) {
            throw refused("take the snapshot " + name, e);
        }
    }

    @Override
    public List<Snapshot> snapshots(RuntimeHandle handle) {
        try {
            Domain d = domain(handle);
            List<Snapshot> found = new ArrayList<>();
            for (String name : d.snapshotListNames(0)) {
                try {
                    DomainSnapshot s = d.snapshotLookupByName(name);
                    try {
                        found.add(DomainXml.parseSnapshot(s.getXMLDesc()));
                    } finally {
                        s.free();
                    }
                } catch (LibvirtException e) {
                    if (!snapshotNotFound(e)) { // deleted meanwhile
                        throw e;
                    }
                }
            }
            found.sort(Comparator.comparing(Snapshot::createdAt).thenComparing(Snapshot::name));
            return found;
        } catch (LibvirtException e) {
            throw refused("list the VM's snapshots", e);
        }
    }

    /**
     * Reverts to a snapshot. One taken while running leaves the VM running from that moment (QEMU is started first if
     * the VM was stopped); one taken while stopped leaves it stopped.
     */
    @Override
    public RuntimeHandle revert(RuntimeHandle handle, String name) {
        try {
            Domain d = domain(handle);
            DomainSnapshot s = snapshot(d, handle, name);
            try {
                ensureNetworks(d);
                d.revertToSnapshot(s);
            } finally {
                s.free();
            }
            return handle;
        } catch (LibvirtException e) {
            throw refused("revert the VM to the snapshot " + name, e);
        }
    }

    @Override
    public void deleteSnapshot(RuntimeHandle handle, String name) {
        try {
            Domain d = domain(handle);
            DomainSnapshot s = snapshot(d, handle, name);
            try {
                s.delete(0);
            } finally {
                s.free();
            }
        } catch (LibvirtException e) {
            throw refused("delete the snapshot " + name, e);
        }
    }

    private static DomainSnapshot snapshot(Domain d, RuntimeHandle handle, String name) throws LibvirtException {
        try {
            return d.snapshotLookupByName(name);
        } catch (LibvirtException e) {
            if (snapshotNotFound(e)) {
                throw new SnapshotNotFoundException(handle.environmentId(), name);
            }
            throw e;
        }
    }

    /** Defines and starts the GenOS networks this domain's NICs are on, when they are missing or inactive. */
    private void ensureNetworks(Domain d) throws LibvirtException {
        for (String name : DomainXml.parse(d.getXMLDesc(Domain.XMLFlags.INACTIVE)).networks()) {
            if (!NAT_NETWORK.equals(name)) {
                continue;
            }
            synchronized (NETWORKS) {
                Connect c = connection();
                Network n;
                try {
                    n = c.networkLookupByName(name);
                    if (!DomainXml.isGenosNetwork(n.getXMLDesc(0))) {
                        throw new RuntimeFailureException("libvirt has a network named " + name + " that GenOS did not "
                                + "create; remove or rename it (virsh net-undefine " + name + ")");
                    }
                } catch (LibvirtException e) {
                    if (!networkNotFound(e)) {
                        throw e;
                    }
                    n = c.networkDefineXML(DomainXml.natNetwork(name, NAT_BRIDGE, NAT_PREFIX));
                    log.info("defined the libvirt network {} ({}.0/24, NAT) for VMs with egress open", name, NAT_PREFIX);
                }
                if (n.isActive() != 1) {
                    try {
                        n.create();
                    } catch (LibvirtException e) {
                        throw new RuntimeFailureException("libvirt could not start the network " + name + " ("
                                + NAT_PREFIX + ".0/24 on bridge " + NAT_BRIDGE + "; is dnsmasq installed? run "
                                + "vm-images/vm/ensure-libvirt): " + message(e), e);
                    }
                }
            }
        }
    }

    /** Removes the GenOS NAT network when no domain (of GenOS or not) is on it any more. */
    private void releaseUnusedNetworks() {
        synchronized (NETWORKS) {
            try {
                Connect c = connection();
                Network n;
                try {
                    n = c.networkLookupByName(NAT_NETWORK);
                } catch (LibvirtException e) {
                    if (networkNotFound(e)) {
                        return;
                    }
                    throw e;
                }
                if (!DomainXml.isGenosNetwork(n.getXMLDesc(0))) {
                    return;
                }
                for (Domain d : c.listAllDomains(0)) {
                    try {
                        if (DomainXml.parse(d.getXMLDesc(Domain.XMLFlags.INACTIVE)).networks().contains(NAT_NETWORK)) {
                            return;
                        }
                    } catch (LibvirtException e) {
                        if (!notFound(e)) {
                            throw e;
                        }
                    }
                }
                if (n.isActive() == 1) {
                    n.destroy();
                }
                n.undefine();
                log.info("removed the libvirt network {}: no VM uses it any more", NAT_NETWORK);
            } catch (LibvirtException e) {
                log.warn("could not remove the unused libvirt network {}: {}", NAT_NETWORK, message(e));
            }
        }
    }

    /**
     * Presses the VM's ACPI power button (again every 2 s, for a guest still booting) and waits up to
     * {@code stopTimeout} for it to power off, then powers it off hard. The disk is kept.
     */
    /**
     * A guest reboot as a shutdown and a start of the same domain: the guest is asked to shut down (ACPI, pressed
     * again while it boots) and powered off after the stop timeout, then started; its disk and snapshots stay. (A
     * guest-side reboot through libvirt's fake-reboot depends on the guest answering ACPI; this does not.)
     */
    @Override
    public void reboot(RuntimeHandle handle) {
        stop(handle);
        start(handle);
    }

    @Override
    public void stop(RuntimeHandle handle) {
        try {
            Domain d = domain(handle);
            if (d.isActive() != 1) {
                return;
            }
            long deadline = System.nanoTime() + properties.stopTimeout().toNanos();
            long nextPress = System.nanoTime();
            // a guest that is still booting ignores the button: press it again every 2 s until the timeout
            while (System.nanoTime() < deadline && isActive(d)) {
                if (System.nanoTime() >= nextPress) {
                    try {
                        d.shutdown();
                    } catch (LibvirtException e) {
                        log.debug("ACPI shutdown of {} refused: {}", handle.environmentId(), message(e));
                    }
                    nextPress = System.nanoTime() + 2_000_000_000L;
                }
                sleep(100);
            }
            if (isActive(d)) {
                log.info("{} did not shut down within {} s; powering it off", handle.environmentId(),
                        properties.stopTimeout().toSeconds());
                try {
                    d.destroy();
                } catch (LibvirtException e) {
                    if (isActive(d)) {
                        throw e;
                    }
                }
            }
        } catch (LibvirtException e) {
            throw refused("stop the VM", e);
        }
    }

    @Override
    public void destroy(RuntimeHandle handle) {
        try {
            Connect c = connection();
            List<Domain> domains = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            if (handle.ref() != null) {
                try {
                    Domain d = c.domainLookupByUUIDString(handle.ref());
                    domains.add(d);
                    seen.add(d.getUUIDString());
                } catch (LibvirtException e) {
                    if (!notFound(e)) {
                        throw e;
                    }
                }
            }
            for (Domain d : c.listAllDomains(0)) {
                String envId = labels(d).get(LABEL_ENVIRONMENT);
                if (handle.environmentId().equals(envId) && !seen.contains(d.getUUIDString())) {
                    domains.add(d);
                    seen.add(d.getUUIDString());
                }
            }
            for (Domain d : domains) {
                remove(d);
            }
        } catch (LibvirtException e) {
            throw refused("remove the VM", e);
        }
        if (SAFE_NAME.matcher(handle.environmentId()).matches()) {
            deleteRecursively(instanceDirectory(handle.environmentId()));
        }
        releaseUnusedNetworks();
    }

    @Override
    public Optional<RuntimeStatus> inspect(RuntimeHandle handle) {
        if (handle.ref() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(status(connection().domainLookupByUUIDString(handle.ref())));
        } catch (LibvirtException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw refused("inspect the VM", e);
        }
    }

    @Override
    public List<RuntimeStatus> listByLabels(Map<String, String> labels) {
        try {
            List<RuntimeStatus> found = new ArrayList<>();
            for (Domain d : connection().listAllDomains(0)) {
                try {
                    RuntimeStatus s = status(d);
                    if (PRODUCT.equals(s.labels().get(LABEL_PRODUCT)) && s.labels().entrySet().containsAll(labels.entrySet())) {
                        found.add(s);
                    }
                } catch (LibvirtException e) {
                    if (!notFound(e)) {
                        throw e;
                    }
                }
            }
            return found;
        } catch (LibvirtException e) {
            throw refused("list the VMs", e);
        }
    }

    /** Always throws: commands cannot be run inside a VM, it has no guest agent. */
    @Override
    public ExecResult exec(RuntimeHandle handle, String... command) {
        throw new RuntimeFailureException("commands cannot be run inside a VM here (GenOS has no guest agent in VMs "
                + "yet): use its display or serial console instead");
    }

    /** The last lines of the VM's serial console since its last start, terminal control sequences removed. */
    @Override
    public String logTail(RuntimeHandle handle, int lines) {
        if (!SAFE_NAME.matcher(handle.environmentId()).matches()) {
            return "";
        }
        Path file = instanceDirectory(handle.environmentId()).resolve(SERIAL_LOG);
        try {
            if (!Files.isRegularFile(file)) {
                return "";
            }
            String text = TERMINAL_CONTROL.matcher(Files.readString(file, StandardCharsets.ISO_8859_1)).replaceAll("");
            List<String> all = text.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            log.debug("no serial log for {}: {}", handle, e.toString());
            return "";
        }
    }

    /** A PNG of the VM's screen (its first display), taken by libvirt. */
    public byte[] screenshot(RuntimeHandle handle) {
        try {
            Connect c = connection();
            Domain d = domain(handle);
            org.libvirt.Stream stream = c.streamNew(0);
            try {
                String mime = d.screenshot(stream, 0);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = stream.receive(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
                stream.finish();
                if (!"image/png".equals(mime)) {
                    log.debug("screenshot of {} is {}", handle.environmentId(), mime);
                }
                return out.toByteArray();
            } finally {
                stream.free();
            }
        } catch (LibvirtException e) {
            throw refused("take a screenshot of the VM", e);
        }
    }

    /**
     * How VMs run on this host, found out once: with {@code acceleration=auto} a throwaway KVM domain boots the probe
     * image and must print its marker on the serial console within {@code probeTimeout}; otherwise TCG.
     */
    public Acceleration acceleration() {
        Acceleration a = acceleration;
        if (a != null) {
            return a;
        }
        synchronized (this) {
            if (acceleration == null) {
                switch (properties.acceleration()) {
                    case "kvm" -> decide(Acceleration.KVM, "configured (acceleration=kvm)");
                    case "tcg" -> decide(Acceleration.TCG, "configured (acceleration=tcg)");
                    default -> {
                        Decision d = DECISIONS.computeIfAbsent(properties.uri(), uri -> {
                            long t0 = System.nanoTime();
                            probe();
                            log.info("VMs run with {}: {} (decided in {} ms)", acceleration, accelerationReason,
                                    (System.nanoTime() - t0) / 1_000_000);
                            return new Decision(acceleration, accelerationReason);
                        });
                        decide(d.acceleration(), d.reason());
                    }
                }
            }
            return acceleration;
        }
    }

    /** Why {@link #acceleration()} chose what it chose, e.g. that the KVM probe timed out. */
    public String accelerationReason() {
        acceleration();
        return accelerationReason;
    }

    /** Where an environment's overlay disk and serial log live. */
    public Path instanceDirectory(String environmentId) {
        return properties.instancesDir().resolve(environmentId);
    }

    /** The libvirt domain name of an environment: {@code genos-} and 12 hex digits of its id. */
    public static String domainName(String environmentId) {
        String hex = environmentId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
        return "genos-" + hex.substring(0, Math.min(12, hex.length()));
    }

    private void decide(Acceleration a, String reason) {
        accelerationReason = reason;
        acceleration = a;
    }

    private void probe() {
        Path imageDir = properties.imagesDir().resolve(properties.probeImage());
        Path kernel = imageDir.resolve("vmlinuz");
        if (!Files.isRegularFile(kernel)) {
            decide(Acceleration.TCG, "KVM was not tried: the probe image " + properties.probeImage() + " is missing ("
                    + kernel + "; build it with vm-images/vm/build-tiny)");
            return;
        }
        Path dir = properties.instancesDir().resolve("kvm-probe-" + UUID.randomUUID());
        Domain domain = null;
        try {
            directory(properties.instancesDir());
            directory(dir);
            Path serial = dir.resolve(SERIAL_LOG);
            Path initrd = imageDir.resolve("initrd.img");
            String xml = DomainXml.write(new DomainXml.Definition("genos-kvm-probe-" + dir.getFileName().toString()
                    .substring(10, 18), "kvm-probe", "genos", properties.probeImage(), "GenOS KVM probe",
                    Acceleration.KVM, 1, 128, null, null, kernel, Files.isRegularFile(initrd) ? initrd : null,
                    cmdline(imageDir), serial, null));
            try {
                domain = connection().domainCreateXML(xml, 0);
            } catch (LibvirtException e) {
                decide(Acceleration.TCG, "KVM is not available: " + message(e));
                return;
            }
            long t0 = System.nanoTime();
            long deadline = t0 + properties.probeTimeout().toNanos();
            while (System.nanoTime() < deadline) {
                if (Files.isRegularFile(serial)
                        && Files.readString(serial, StandardCharsets.ISO_8859_1).contains(properties.probeMarker())) {
                    decide(Acceleration.KVM, "a KVM test VM booted in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                    return;
                }
                sleep(50);
            }
            decide(Acceleration.TCG, "a KVM test VM did not boot within " + properties.probeTimeout().toSeconds()
                    + " s (nested KVM that hangs?)");
        } catch (IOException e) {
            decide(Acceleration.TCG, "KVM could not be tried: " + e.getMessage());
        } finally {
            if (domain != null) {
                try {
                    domain.destroy();
                } catch (LibvirtException e) {
                    log.warn("could not remove the KVM probe domain: {}", message(e));
                }
            }
            deleteRecursively(dir);
        }
    }

    private RuntimeStatus status(Domain d) throws LibvirtException {
        boolean running = d.isActive() == 1;
        DomainXml.Parsed xml = DomainXml.parse(d.getXMLDesc(0));
        InetSocketAddress display = running && xml.vncPort() != null && xml.vncPort() > 0
                ? new InetSocketAddress(LOOPBACK, xml.vncPort()) : null;
        Streaming.Protocol protocol = "spice".equals(xml.graphics()) ? Streaming.Protocol.SPICE : Streaming.Protocol.VNC;
        if ("rdp".equals(xml.labels().get(LABEL_DISPLAY))) {
            protocol = Streaming.Protocol.RDP;
            display = running ? rdpAddress(d) : null;
        }
        return new RuntimeStatus(d.getUUIDString(), xml.labels().get(LABEL_ENVIRONMENT), running, null, display,
                Map.of(), xml.labels(), false, protocol);
    }

    /**
     * Where the guest's RDP server is: its IPv4 address from libvirt's DHCP lease on the VM's network, port
     * {@value #RDP_PORT}; null while it has no lease yet.
     */
    private static InetSocketAddress rdpAddress(Domain d) {
        try {
            for (org.libvirt.DomainInterface nic : d.interfaceAddresses(
                    Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0)) {
                for (org.libvirt.DomainInterface.InterfaceAddress a : nic.addrs) {
                    if (a.address instanceof java.net.Inet4Address) {
                        return new InetSocketAddress(a.address.getHostAddress(), RDP_PORT);
                    }
                }
            }
        } catch (LibvirtException e) {
            log.debug("no lease for the VM yet: {}", message(e));
        }
        return null;
    }

    private Map<String, String> labels(Domain d) throws LibvirtException {
        try {
            return DomainXml.parse(d.getXMLDesc(0)).labels();
        } catch (LibvirtException e) {
            if (notFound(e)) {
                return Map.of();
            }
            throw e;
        }
    }

    private void remove(Domain d) throws LibvirtException {
        try {
            if (d.isActive() == 1) {
                d.destroy();
            }
        } catch (LibvirtException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
        try {
            d.undefine(Domain.UndefineFlags.MANAGED_SAVE | Domain.UndefineFlags.SNAPSHOTS_METADATA);
        } catch (LibvirtException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
    }

    private Domain domain(RuntimeHandle handle) throws LibvirtException {
        if (handle.ref() == null) {
            throw new RuntimeFailureException("the environment " + handle.environmentId() + " has no VM");
        }
        try {
            return connection().domainLookupByUUIDString(handle.ref());
        } catch (LibvirtException e) {
            if (notFound(e)) {
                throw new RuntimeFailureException("the VM of environment " + handle.environmentId()
                        + " is gone from libvirt");
            }
            throw e;
        }
    }

    private synchronized Connect connection() {
        try {
            if (connect == null || !connect.isAlive()) {
                connect = new Connect(properties.uri());
            }
            return connect;
        } catch (LibvirtException e) {
            connect = null;
            throw new RuntimeFailureException("libvirt is not available at " + properties.uri() + " (start it with "
                    + "vm-images/vm/ensure-libvirt): " + message(e), e);
        }
    }

    private static boolean isActive(Domain d) throws LibvirtException {
        try {
            return d.isActive() == 1;
        } catch (LibvirtException e) {
            if (notFound(e)) {
                return false;
            }
            throw e;
        }
    }

    private static String cmdline(Path imageDir) {
        Path f = imageDir.resolve("cmdline");
        try {
            return Files.isRegularFile(f) ? Files.readString(f).strip() : "console=tty0 console=ttyS0";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long virtualSize(String json, Path image) {
        Matcher m = VIRTUAL_SIZE.matcher(json);
        if (!m.find()) {
            throw new RuntimeFailureException("qemu-img did not say how large " + image + " is");
        }
        return Long.parseLong(m.group(1));
    }

    private static String run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RuntimeFailureException("could not " + what + ": " + command.getFirst() + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new RuntimeFailureException("could not " + what + ": " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new RuntimeFailureException("could not " + what + ": " + command.getFirst() + " is missing ("
                    + e.getMessage() + "); run vm-images/vm/ensure-libvirt", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("interrupted while trying to " + what);
        }
    }

    /** Creates a directory that QEMU (running as another user) may traverse. */
    private static void directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new RuntimeFailureException("could not remove " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("interrupted while waiting for the VM");
        }
    }

    private static boolean notFound(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    private static boolean snapshotNotFound(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT;
    }

    private static boolean networkNotFound(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_NETWORK;
    }

    private static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
    }

    private static RuntimeFailureException refused(String action, LibvirtException e) {
        return new RuntimeFailureException("libvirt refused to " + action + ": " + message(e), e);
    }

    private static Resources resources(Resolution resolution) {
        Resources r = resolution.spec().resources();
        return r != null ? r : resolution.image().defaults();
    }

    /** The pty of a running VM's serial console (its shell), empty when the VM is not running. */
    public Optional<Path> serialConsole(RuntimeHandle handle) {
        try {
            String pty = DomainXml.parse(domain(handle).getXMLDesc(0)).serialPty();
            return Optional.ofNullable(pty).map(Path::of);
        } catch (LibvirtException e) {
            throw refused("read the VM's serial console", e);
        }
    }

    /** Reads the VNC password back from the domain's XML (asked for with the secure flag). */
    @Override
    public Optional<String> displayPassword(RuntimeHandle handle) {
        try {
            return Optional.ofNullable(DomainXml.parse(domain(handle).getXMLDesc(Domain.XMLFlags.SECURE)).vncPassword());
        } catch (LibvirtException e) {
            throw refused("read the VM's display password", e);
        }
    }

    /**
     * Attaches a terminal to the VM's serial console (ttyS0), through libvirt's console stream: what the guest prints
     * there comes out, what is written goes in as typed. A new attach takes the console over from an earlier one (a
     * browser reload), which then ends; closing ends only the stream, not the guest's shell, so the next attach finds
     * the same shell (press Enter for a prompt). A serial line has no window size: {@code columns}, {@code rows} and
     * {@link Terminal#resize} are checked but not passed on (programs in the guest assume 80x24).
     */
    @Override
    public Terminal attachTerminal(RuntimeHandle handle, int columns, int rows, TerminalOutput output) {
        if (columns < 1 || columns > 1000 || rows < 1 || rows > 1000) {
            throw new InvalidRequestException("a terminal of " + columns + "x" + rows
                    + " cells is not possible: use 1 to 1000 columns and rows");
        }
        try {
            if (!isActive(domain(handle))) {
                throw new InvalidRequestException("the VM of environment " + handle.environmentId()
                        + " is not running: start it to open its serial console");
            }
        } catch (LibvirtException e) {
            throw refused("find the VM", e);
        }
        return SerialConsoleTerminal.open(properties.uri(), handle.ref(), output);
    }

    /** The GenOS labels in a domain's XML (empty when it has none). */
    public static Map<String, String> labelsOf(String xml) {
        return new LinkedHashMap<>(DomainXml.parse(xml).labels());
    }
}
