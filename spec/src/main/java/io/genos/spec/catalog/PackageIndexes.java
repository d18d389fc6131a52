package io.genos.spec.catalog;

import io.genos.spec.Os;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The package indexes of the OS bases, one file per OS in a folder ({@code debian-12.tsv}), written when the base is
 * built ({@code vm-images/build}). Read once and again whenever the file changes.
 */
public final class PackageIndexes {

    /** Where {@code vm-images/build} writes them. */
    public static final Path DEFAULT_DIR = Path.of("/var/lib/genos/package-index");
    private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9.]{0,31}");

    private record Loaded(FileTime modified, PackageIndex index) {}

    private final Path dir;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    public PackageIndexes(Path dir) {
        this.dir = dir;
    }

    /** The file that holds the index of this OS ({@code debian-12.tsv}), empty when the OS names none. */
    public Optional<Path> fileFor(Os os) {
        if (os == null || os.distro() == null || os.version() == null) {
            return Optional.empty();
        }
        String distro = os.distro().toLowerCase(Locale.ROOT);
        String version = os.version().toLowerCase(Locale.ROOT);
        if (!PART.matcher(distro).matches() || !PART.matcher(version).matches()) {
            return Optional.empty();
        }
        return Optional.of(dir.resolve(distro + "-" + version + ".tsv"));
    }

    /** The index of this OS, empty when none was recorded (the base was not built on this host). */
    public Optional<PackageIndex> forOs(Os os) {
        Optional<Path> file = fileFor(os);
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return Optional.empty();
        }
        Path f = file.get();
        try {
            FileTime modified = Files.getLastModifiedTime(f);
            Loaded loaded = cache.get(f.toString());
            if (loaded == null || !loaded.modified().equals(modified)) {
                loaded = new Loaded(modified, PackageIndex.read(f));
                cache.put(f.toString(), loaded);
            }
            return Optional.of(loaded.index());
        } catch (IOException e) {
            throw PackageIndex.unreadable(f, e);
        }
    }
}
