package io.genos.spec.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The packages an OS base can install (its apt index, recorded when the base is built): name, version and installed
 * size. Requested names are checked against it before anything is built; an unknown name gets the closest real
 * names as suggestions.
 */
public final class PackageIndex {

    /** Most lines read from an index file: Debian 12 with updates has about 64,000 packages. */
    static final int MAX_ENTRIES = 500_000;

    public record Entry(String name, String version, long installedKiB) {}

    /**
     * What a check found.
     *
     * @param unknown the names the index does not know, in the order asked
     * @param suggestions for each unknown name, the closest real names (best first, possibly none)
     * @param installedKiB the installed size of the known names (without their dependencies)
     */
    public record Check(List<String> unknown, Map<String, List<String>> suggestions, long installedKiB) {
        public boolean ok() {
            return unknown.isEmpty();
        }

        /** "nodejs-foo (did you mean nodejs?), gimpp (did you mean gimp, gimp-data?)". */
        public String describeUnknown() {
            List<String> parts = new ArrayList<>();
            for (String name : unknown) {
                List<String> s = suggestions.getOrDefault(name, List.of());
                parts.add(s.isEmpty() ? name : name + " (did you mean " + String.join(", ", s) + "?)");
            }
            return String.join("; ", parts);
        }
    }

    private final Map<String, Entry> entries;

    private PackageIndex(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static PackageIndex of(Collection<Entry> entries) {
        Map<String, Entry> map = new HashMap<>();
        entries.forEach(e -> map.put(e.name(), e));
        return new PackageIndex(map);
    }

    /** Reads an index file: one package a line, {@code name<TAB>version<TAB>installed KiB}. */
    public static PackageIndex read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        }
    }

    static PackageIndex read(BufferedReader in) throws IOException {
        Map<String, Entry> map = new HashMap<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", 4);
            if (!PackageNames.valid(f[0])) {
                continue;
            }
            long kib = 0;
            if (f.length > 2) {
                try {
                    kib = Long.parseLong(f[2].strip());
                } catch (NumberFormatException e) {
                    kib = 0;
                }
            }
            map.putIfAbsent(f[0], new Entry(f[0], f.length > 1 ? f[1] : "", kib));
            if (map.size() > MAX_ENTRIES) {
                throw new IOException("the package index has more than " + MAX_ENTRIES + " entries");
            }
        }
        return new PackageIndex(map);
    }

    /**
     * Reads the names, versions and installed sizes of a Debian {@code Packages} file (a repository's index, one
     * stanza a package). Lines beyond 64 KiB and entries beyond {@link #MAX_ENTRIES} are refused.
     */
    public static List<Entry> readDebianPackages(BufferedReader in) throws IOException {
        List<Entry> out = new ArrayList<>();
        String name = null;
        String version = "";
        long kib = 0;
        StringBuilder line = new StringBuilder();
        while (true) {
            line.setLength(0);
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (line.length() >= 65_536) {
                    throw new IOException("a line of the Packages file is longer than 64 KiB");
                }
                line.append((char) c);
            }
            String l = line.toString();
            if (c == -1 || l.isBlank()) {
                if (name != null && PackageNames.valid(name)) {
                    out.add(new Entry(name, version, kib));
                    if (out.size() > MAX_ENTRIES) {
                        throw new IOException("the Packages file has more than " + MAX_ENTRIES + " entries");
                    }
                }
                name = null;
                version = "";
                kib = 0;
                if (c == -1) {
                    return out;
                }
            } else if (l.startsWith("Package:")) {
                name = l.substring(8).strip();
            } else if (l.startsWith("Version:")) {
                version = l.substring(8).strip();
            } else if (l.startsWith("Installed-Size:")) {
                try {
                    kib = Long.parseLong(l.substring(15).strip());
                } catch (NumberFormatException e) {
                    kib = 0;
                }
            }
        }
    }

    /** This index with more packages (an extra repository's); names it has already keep their entry. */
    public PackageIndex with(Collection<Entry> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, Entry> map = new HashMap<>(entries);
        more.forEach(e -> map.putIfAbsent(e.name(), e));
        return new PackageIndex(map);
    }

    public int size() {
        return entries.size();
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    public Check check(Collection<String> names) {
        List<String> unknown = new ArrayList<>();
        Map<String, List<String>> suggestions = new LinkedHashMap<>();
        long kib = 0;
        for (String n : names) {
            Entry e = entries.get(n);
            if (e == null) {
                if (!unknown.contains(n)) {
                    unknown.add(n);
                    suggestions.put(n, suggest(n, 3));
                }
            } else {
                kib += e.installedKiB();
            }
        }
        return new Check(List.copyOf(unknown), Map.copyOf(suggestions), kib);
    }

    /**
     * The closest real names to an unknown one: small edit distances first, then names that start with it or hold it
     * as a dash-separated part ({@code nodejs} → {@code nodejs}; {@code python} → {@code python3}).
     */
    public List<String> suggest(String name, int max) {
        String want = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT).strip();
        if (want.isEmpty() || max <= 0) {
            return List.of();
        }
        int limit = Math.max(1, Math.min(3, want.length() / 3));
        record Scored(String name, int score) {}
        List<Scored> scored = new ArrayList<>();
        for (String candidate : entries.keySet()) {
            int score;
            if (Math.abs(candidate.length() - want.length()) <= limit) {
                int d = distance(want, candidate, limit);
                if (d <= limit) {
                    scored.add(new Scored(candidate, d * 10));
                    continue;
                }
            }
            if (want.length() >= 3 && (candidate.startsWith(want + "-") || candidate.startsWith(want)
                    && candidate.length() <= want.length() + 2 || candidate.endsWith("-" + want))) {
                score = 25 + candidate.length() - want.length();
                scored.add(new Scored(candidate, score));
            }
        }
        return scored.stream().sorted(Comparator.comparingInt(Scored::score).thenComparingInt(s -> s.name().length())
                        .thenComparing(Scored::name))
                .limit(max).map(Scored::name).toList();
    }

    /** Levenshtein distance, giving up (returning limit + 1) once it must exceed the limit. */
    static int distance(String a, String b, int limit) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static UncheckedIOException unreadable(Path file, IOException e) {
        return new UncheckedIOException("cannot read the package index " + file + ": " + e.getMessage(), e);
    }
}
