package io.genos.orchestrator.libvirt;

import io.genos.orchestrator.CachedImage;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeFailureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The derived VM images the runtime built ({@code <imagesDir>/<start>+<hash>}, "a Debian VM with htop") as the image
 * cache sees them: size, when built, the packages they add, which VMs run from them (the backing file of each
 * instance's overlay, read from its qcow2 header), and their removal when nothing does.
 */
final class VmImageCache {
    private static final Logger log = LoggerFactory.getLogger(VmImageCache.class);
    static final Pattern COMPOSED_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}\\+[0-9a-f]{16}");
    /** What a derived image adds (desktop, packages), one line, written when it is built. */
    private static final String PACKAGES = "packages";
    /** A qcow2 backing file name is at most 1023 bytes (QEMU's own limit). */
    private static final int MAX_BACKING = 1023;

    private final Path imagesDir;
    private final Path instancesDir;

    VmImageCache(Path imagesDir, Path instancesDir) {
        this.imagesDir = imagesDir;
        this.instancesDir = instancesDir;
    }

    /** Records what a derived image adds ("KDE desktop htop") beside it. */
    static void recordContents(Path image, String contents) {
        try {
            Files.writeString(image.resolve(PACKAGES), contents.strip() + "\n");
        } catch (IOException e) {
            log.warn("could not record the packages of {}: {}", image, e.toString());
        }
    }

    List<CachedImage> list() {
        Map<String, List<String>> users = users();
        List<CachedImage> out = new ArrayList<>();
        if (!Files.isDirectory(imagesDir)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(imagesDir)) {
            for (Path dir : dirs.sorted().toList()) {
                String ref = dir.getFileName().toString();
                Path disk = dir.resolve(LibvirtRuntime.DISK);
                if (!COMPOSED_NAME.matcher(ref).matches() || !Files.isRegularFile(disk, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String packages = Files.isRegularFile(dir.resolve(PACKAGES))
                        ? Files.readString(dir.resolve(PACKAGES)).strip() : "(not recorded)";
                out.add(new CachedImage(ref, ref, ref.substring(0, ref.indexOf('+')), "packages", packages,
                        size(dir), Files.getLastModifiedTime(disk).toInstant(), users.getOrDefault(ref, List.of()),
                        false));
            }
        } catch (IOException e) {
            throw new RuntimeFailureException("cannot list the VM images in " + imagesDir + ": " + e.getMessage());
        }
        return out;
    }

    /** Removes a derived image nothing runs from. */
    void remove(String ref) {
        if (ref == null || !COMPOSED_NAME.matcher(ref).matches()) {
            throw new InvalidRequestException("there is no derived VM image " + ref);
        }
        Path dir = imagesDir.resolve(ref);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidRequestException("there is no derived VM image " + ref);
        }
        List<String> using = users().getOrDefault(ref, List.of());
        if (!using.isEmpty()) {
            throw new InvalidRequestException(ref + " is used by " + using.size() + " VM"
                    + (using.size() == 1 ? "" : "s") + " (" + String.join(", ", using) + "): destroy "
                    + (using.size() == 1 ? "it" : "them") + " first");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new RuntimeFailureException("cannot remove " + dir + ": " + e.getMessage());
        }
        log.info("removed the derived VM image {}", ref);
    }

    /** The environments whose overlay is backed by each derived image, by its name. */
    private Map<String, List<String>> users() {
        Map<String, List<String>> users = new HashMap<>();
        if (!Files.isDirectory(instancesDir)) {
            return users;
        }
        try (Stream<Path> dirs = Files.list(instancesDir)) {
            for (Path dir : dirs.toList()) {
                Path overlay = dir.resolve(LibvirtRuntime.DISK);
                if (!Files.isRegularFile(overlay, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String backing = backingFile(overlay);
                if (backing == null) {
                    continue;
                }
                Path base = Path.of(backing).getParent();
                if (base != null && base.getParent() != null && base.getParent().equals(imagesDir)) {
                    users.computeIfAbsent(base.getFileName().toString(), k -> new ArrayList<>())
                            .add(dir.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailureException("cannot read the VM instances in " + instancesDir + ": " + e.getMessage());
        }
        return users;
    }

    /** The backing file a qcow2 names in its header (bytes 8..19: its offset and length), or null. */
    static String backingFile(Path qcow2) {
        try (InputStream in = Files.newInputStream(qcow2)) {
            byte[] header = in.readNBytes(20);
            if (header.length < 20 || header[0] != 'Q' || header[1] != 'F' || header[2] != 'I' || header[3] != (byte) 0xfb) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(header);
            long offset = b.getLong(8);
            int length = b.getInt(16);
            if (offset < 20 || length <= 0 || length > MAX_BACKING || offset > 65536) {
                return null;
            }
            in.skipNBytes(offset - 20);
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static long size(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    total += Files.size(f);
                }
            }
        }
        return total;
    }
}
