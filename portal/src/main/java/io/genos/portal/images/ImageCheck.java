package io.genos.portal.images;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a registration before anything is stored: the id, the OS words, the protocol (and an RDP user), the
 * resources, and for a VM that the path names a standalone qcow2 that QEMU (which runs as another user) can read, for
 * a container that the reference is one Docker reads. Turns a valid form into the {@link CatalogImage} it registers.
 */
public final class ImageCheck {

    /** A DNS label: 1..63 lower-case letters, digits, dashes; starts and ends with a letter or digit. */
    static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    /** The first four bytes of every qcow2 file. */
    static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};
    private static final long GIB = 1024L * 1024 * 1024;
    /** Where a registered container's VNC server listens (display :1), as in GenOS's own images. */
    public static final int DISPLAY_PORT = 5901;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImageCheck() {}

    /**
     * @param catalog the current catalog (its ids are taken)
     * @return the image this form registers
     * @throws InvalidImageException saying what is wrong
     */
    public static CatalogImage check(ImageForm f, Catalog catalog) {
        String id = trim(f.id());
        if (!ID.matcher(id).matches()) {
            throw new InvalidImageException("An image id is a DNS label: 1 to 63 lower-case letters, digits and dashes, "
                    + "starting and ending with a letter or digit (e.g. windows-11).");
        }
        if (catalog.find(id).isPresent()) {
            throw new InvalidImageException("There is already an image " + id + " in the catalog: choose another id.");
        }
        String family = trim(f.family()).toLowerCase(java.util.Locale.ROOT);
        String distro = trim(f.distro()).toLowerCase(java.util.Locale.ROOT);
        String version = trim(f.version());
        if (!WORD.matcher(family).matches() || !WORD.matcher(distro).matches()) {
            throw new InvalidImageException("Say the OS family and distribution in a word each (e.g. windows and "
                    + "windows, or linux and fedora).");
        }
        if (!version.isEmpty() && !VERSION.matcher(version).matches()) {
            throw new InvalidImageException("An OS version is a word of letters, digits, dots and dashes (e.g. 11 or 24.04).");
        }
        if (f.desktop() == null) {
            throw new InvalidImageException("Choose the desktop the image runs (none for a console only).");
        }
        if (f.kind() == Kind.CONTAINER) {
            return container(f, id, new Os(family, distro, version.isEmpty() ? null : version));
        }
        if (f.kind() != Kind.VM) {
            throw new InvalidImageException("Choose what the image is: a VM (a qcow2 on this host) or a container "
                    + "(an image in a registry).");
        }
        Protocol protocol = f.protocol();
        if (protocol == null || !List.of(Protocol.VNC, Protocol.RDP, Protocol.SPICE).contains(protocol)) {
            throw new InvalidImageException("Choose the display protocol the image speaks: vnc, rdp or spice.");
        }
        String user = trim(f.rdpUsername());
        if (protocol == Protocol.RDP && user.isEmpty()) {
            throw new InvalidImageException("An RDP image needs the guest's user to sign in as.");
        }
        if (protocol != Protocol.RDP && (!user.isEmpty() || !trim(f.rdpPassword()).isEmpty())) {
            throw new InvalidImageException("A user and password are only for RDP images; leave them empty for "
                    + protocol.json() + ".");
        }
        int cpus = cpus(f);
        int memory = memory(f);
        String description = description(f);
        Path path = qcow2(f.path());
        long size = virtualSize(path);
        long sizeGiB = (size + GIB - 1) / GIB;
        int disk = f.diskGiB() == null ? (int) Math.max(1, sizeGiB) : f.diskGiB();
        if (disk < sizeGiB) {
            throw new InvalidImageException("The default disk (" + disk + " GiB) is smaller than the image's own disk ("
                    + sizeGiB + " GiB).");
        }
        if (disk > 65536) {
            throw new InvalidImageException("The default disk is at most 65536 GiB.");
        }
        return new CatalogImage(id, Kind.VM, new Os(family, distro, version.isEmpty() ? null : version), f.desktop(),
                List.of(protocol), new Resources(cpus, memory, disk, null), List.of(), path.toString(), 0,
                description.isEmpty() ? null : description, true);
    }

    /**
     * A container image in a registry: a well-formed reference, pulled when first launched. One with a desktop must keep
     * GenOS's display contract (a VNC server on display :1, port 5901, with the password GENOS_VNC_PASSWORD says);
     * one without gets GenOS's session (a user, tmux) as a composed layer when it is a Debian or Ubuntu image.
     */
    private static CatalogImage container(ImageForm f, String id, Os os) {
        if (f.protocol() != null && f.protocol() != Protocol.VNC) {
            throw new InvalidImageException("A container's desktop is streamed over VNC: choose vnc (RDP and SPICE are "
                    + "for VMs).");
        }
        if (!trim(f.rdpUsername()).isEmpty() || !trim(f.rdpPassword()).isEmpty()) {
            throw new InvalidImageException("A user and password are only for RDP VM images; leave them empty for a "
                    + "container.");
        }
        int cpus = cpus(f);
        int memory = memory(f);
        String description = description(f);
        String reference = trim(f.path());
        if (reference.isEmpty()) {
            throw new InvalidImageException("Give the container image's reference, e.g. "
                    + "registry.example.org/team/ubuntu:24.04.");
        }
        ImageReference parsed;
        try {
            parsed = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(Character.toUpperCase(e.getMessage().charAt(0)) + e.getMessage().substring(1)
                    + ".");
        }
        if (parsed.path().startsWith("genos/") || parsed.path().startsWith("genos-composed")) {
            throw new InvalidImageException(reference + " is a name GenOS gives its own images: register an image "
                    + "from a registry.");
        }
        int disk = f.diskGiB() == null ? 10 : f.diskGiB();
        if (disk < 1 || disk > 65536) {
            throw new InvalidImageException("The default disk is 1 to 65536 GiB.");
        }
        boolean desktop = f.desktop() != Desktop.NONE;
        return new CatalogImage(id, Kind.CONTAINER, os, f.desktop(), List.of(Protocol.VNC),
                new Resources(cpus, memory, disk, null), List.of(), parsed.toString(), desktop ? DISPLAY_PORT : 0,
                description.isEmpty() ? null : description, true);
    }

    private static int cpus(ImageForm f) {
        int cpus = f.cpus() == null ? 0 : f.cpus();
        if (cpus < 1 || cpus > 64) {
            throw new InvalidImageException("Default CPUs must be 1 to 64.");
        }
        return cpus;
    }

    private static int memory(ImageForm f) {
        int memory = f.memoryMiB() == null ? 0 : f.memoryMiB();
        if (memory < 128 || memory > 1024 * 1024) {
            throw new InvalidImageException("Default memory must be 128 MiB to 1 TiB.");
        }
        return memory;
    }

    private static String description(ImageForm f) {
        String description = trim(f.description());
        if (description.length() > 500) {
            throw new InvalidImageException("The description is at most 500 characters.");
        }
        return description;
    }

    /**
     * The path as registered: absolute, normalised, a regular file (not a link), readable by QEMU, starting with the
     * qcow2 magic, a qcow2 by {@code qemu-img info}, without a backing file.
     */
    static Path qcow2(String typed) {
        String text = trim(typed);
        if (text.isEmpty() || !text.startsWith("/")) {
            throw new InvalidImageException("Give the absolute path of a qcow2 file on this host, e.g. "
                    + "/var/lib/genos/external/windows-11.qcow2.");
        }
        Path path = Path.of(text).normalize();
        if (!path.toString().equals(text)) {
            throw new InvalidImageException("Write the path without . or .. or a trailing slash: " + path);
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidImageException("There is no file " + path + " on this host.");
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidImageException(path + " is not a regular file (a directory or a link): give the qcow2 file itself.");
        }
        if (!Files.isReadable(path)) {
            throw new InvalidImageException(path + " cannot be read by GenOS.");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            throw new InvalidImageException(path + " cannot be read: " + e.getMessage());
        }
        if (!java.util.Arrays.equals(head, QCOW2_MAGIC)) {
            throw new InvalidImageException(path + " is not a qcow2 disk image (it does not start with the qcow2 "
                    + "signature QFI\\xfb). Convert it first: qemu-img convert -O qcow2 <file> <file>.qcow2");
        }
        readableByQemu(path);
        JsonNode info = info(path);
        if (!"qcow2".equals(info.path("format").asString(""))) {
            throw new InvalidImageException("qemu-img does not read " + path + " as a qcow2 image (format "
                    + info.path("format").asString("unknown") + ").");
        }
        if (info.has("backing-filename")) {
            throw new InvalidImageException(path + " has a backing file itself (" + info.path("backing-filename").asString("")
                    + "); GenOS needs a standalone image: qemu-img convert -O qcow2 it into one.");
        }
        return path;
    }

    /** QEMU runs as libvirt-qemu: the file must be readable by others and every directory above it searchable. */
    static void readableByQemu(Path path) {
        try {
            if (!Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_READ)) {
                throw new InvalidImageException("QEMU runs as another user and cannot read " + path
                        + ": make it readable (chmod o+r " + path + ").");
            }
            for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
                if (!p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new InvalidImageException("QEMU runs as another user and cannot reach " + path + " through "
                            + dir + ": make that directory searchable (chmod o+x " + dir + ") or move the image.");
                }
            }
        } catch (IOException e) {
            throw new InvalidImageException("The permissions of " + path + " cannot be read: " + e.getMessage());
        }
    }

    static long virtualSize(Path path) {
        long size = info(path).path("virtual-size").asLong(-1);
        if (size <= 0) {
            throw new InvalidImageException("qemu-img does not say how large " + path + " is.");
        }
        return size;
    }

    private static JsonNode info(Path path) {
        try {
            Process p = new ProcessBuilder("qemu-img", "info", "-U", "--output=json", path.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new InvalidImageException("qemu-img took too long to read " + path + ".");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new InvalidImageException("qemu-img cannot read " + path + ": " + text.strip());
            }
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidImageException("qemu-img is not installed here, so " + path + " cannot be checked "
                    + "(run vm-images/vm/ensure-libvirt).");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidImageException("Interrupted while checking " + path + ".");
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }
}
