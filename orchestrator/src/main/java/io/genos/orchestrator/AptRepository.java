package io.genos.orchestrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An extra apt repository an admin configured ({@code genos.orchestrator.apt-repositories[n]}; none by default):
 * composed package layers of its OS may install its packages, and the names it has pass the check before Launch.
 *
 * @param name a DNS label naming it (its files in the image are {@code genos-NAME.list} and its key)
 * @param os the OS bases it is for, {@code distro-version} as the package indexes are named, e.g. {@code debian-12}
 * @param url {@code https://…}, {@code http://…}, or {@code file:/…} for a repository on this host (mounted read-only
 *     into the build)
 * @param suite e.g. {@code bookworm} or {@code stable}; {@code ./} for a flat repository
 * @param components e.g. {@code main}; none for a flat repository
 * @param key the repository's signing key on this host (a binary {@code .gpg} or an armoured {@code .asc}), or null
 *     only when {@code trusted}
 * @param trusted whether apt takes it without a signature ({@code [trusted=yes]}); for a local repository an admin built
 */
public record AptRepository(String name, String os, String url, String suite, List<String> components, Path key,
        boolean trusted) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
    private static final Pattern OS = Pattern.compile("[a-z0-9]+-[A-Za-z0-9.]+");
    private static final Pattern URL = Pattern.compile("(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%+/-]*)?"
            + "|file:/[A-Za-z0-9._+/-]*)");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}|\\./");
    /** A signing key is a few KiB; anything much larger is not one. */
    static final long MAX_KEY_BYTES = 64 * 1024;

    public AptRepository {
        String where = "genos.orchestrator.apt-repositories (" + name + "): ";
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("genos.orchestrator.apt-repositories: a repository's name is a DNS label "
                    + "of up to 32 characters, was " + name);
        }
        if (os == null || !OS.matcher(os).matches()) {
            throw new IllegalArgumentException(where + "os is distro-version as the package indexes are named, e.g. "
                    + "debian-12, was " + os);
        }
        os = os.toLowerCase(Locale.ROOT);
        if (url == null || !URL.matcher(url).matches() || url.contains("..")) {
            throw new IllegalArgumentException(where + "url is https://host/path, http://host/path or file:/path, was "
                    + url);
        }
        if (suite == null || !WORD.matcher(suite).matches() || suite.contains("..")) {
            throw new IllegalArgumentException(where + "suite is a word such as bookworm, or ./ for a flat repository, "
                    + "was " + suite);
        }
        components = components == null ? List.of() : List.copyOf(components);
        for (String c : components) {
            if (!WORD.matcher(c).matches() || c.contains("..") || c.equals("./")) {
                throw new IllegalArgumentException(where + "a component is a word such as main, was " + c);
            }
        }
        if (suite.endsWith("/") != components.isEmpty()) {
            throw new IllegalArgumentException(where + "a flat repository (suite ending in /) has no components, any "
                    + "other has at least one");
        }
        if (key == null && !trusted) {
            throw new IllegalArgumentException(where + "give the repository's signing key (key: /path/to/key.gpg), or "
                    + "say trusted: true for a repository you built yourself");
        }
        if (key != null) {
            try {
                if (!Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS) || Files.size(key) > MAX_KEY_BYTES) {
                    throw new IllegalArgumentException(where + "the key " + key + " is not a file of at most 64 KiB");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(where + "cannot read the key " + key, e);
            }
        }
        if (url.startsWith("file:")) { // (the fields are not set yet: no isFile() here)
            Path dir = Path.of(url.substring("file:".length()));
            if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
                throw new IllegalArgumentException(where + "there is no directory " + dir + " on this host");
            }
        }
    }

    /** Whether it is a directory on this host ({@code file:}). */
    public boolean isFile() {
        return url.startsWith("file:");
    }

    /** The directory on this host of a {@code file:} repository. */
    public Path directory() {
        return Path.of(url.substring("file:".length()));
    }

    /** Where its key goes in the image: apt reads an armoured key by its {@code .asc} name. */
    public String keyPathInImage() {
        boolean armoured = key != null && key.getFileName().toString().endsWith(".asc");
        return "/etc/apt/keyrings/genos-" + name + (armoured ? ".asc" : ".gpg");
    }

    /** Its line in {@code sources.list.d}. */
    public String sourcesLine() {
        String options = trusted && key == null ? "[trusted=yes]" : "[signed-by=" + keyPathInImage() + "]";
        return "deb " + options + " " + url + " " + suite + (components.isEmpty() ? "" : " " + String.join(" ", components));
    }

    /** Whether it is for this OS base. */
    public boolean isFor(io.genos.spec.Os base) {
        return base != null && base.distro() != null && (base.distro() + "-" + base.version()).equalsIgnoreCase(os);
    }
}
