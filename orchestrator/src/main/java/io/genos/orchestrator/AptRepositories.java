package io.genos.orchestrator;

import io.genos.spec.Os;
import io.genos.spec.catalog.PackageIndex;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The extra apt repositories an admin configured (none by default): which are for an OS base, the lines that add them
 * to a package layer's build, and the packages they have (read from each repository's {@code Packages} index, on this
 * host for {@code file:} ones, over HTTP(S) otherwise; kept for ten minutes).
 */
public final class AptRepositories {

    public static final AptRepositories NONE = new AptRepositories(List.of());

    /** A repository's index is at most this large, compressed or not. */
    static final long MAX_INDEX_BYTES = 256L * 1024 * 1024;
    private static final Duration KEEP = Duration.ofMinutes(10);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

    private record Read(Instant at, List<PackageIndex.Entry> packages) {}

    /**
     * What the repositories of an OS have.
     *
     * @param packages every package they list
     * @param unreadable why a repository could not be read (its names are then left to apt), by repository name
     */
    public record Packages(List<PackageIndex.Entry> packages, Map<String, String> unreadable) {}

    private final List<AptRepository> repositories;
    private final Map<String, Read> cache = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public AptRepositories(List<AptRepository> repositories) {
        this.repositories = repositories == null ? List.of() : List.copyOf(repositories);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AptRepository r : this.repositories) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("genos.orchestrator.apt-repositories: two repositories are named "
                        + r.name());
            }
        }
    }

    public List<AptRepository> all() {
        return repositories;
    }

    public List<AptRepository> forOs(Os os) {
        return repositories.stream().filter(r -> r.isFor(os)).toList();
    }

    /**
     * The shell lines that add these repositories before {@code apt-get update} (keys and sources written as root in the
     * build container). Empty for none, so that layers without extra repositories keep their recipe.
     */
    public static String setupScript(List<AptRepository> repositories) {
        StringBuilder sb = new StringBuilder();
        for (AptRepository r : repositories) {
            if (sb.isEmpty()) {
                sb.append("mkdir -p /etc/apt/keyrings /etc/apt/sources.list.d\n");
            }
            if (r.key() != null) {
                byte[] key;
                try {
                    key = Files.readAllBytes(r.key());
                } catch (IOException e) {
                    throw new RuntimeFailureException("the key of the apt repository " + r.name() + " (" + r.key()
                            + ") cannot be read: " + e.getMessage());
                }
                sb.append("echo '").append(Base64.getEncoder().encodeToString(key)).append("' | base64 -d > ")
                        .append(r.keyPathInImage()).append('\n');
                sb.append("chmod 644 ").append(r.keyPathInImage()).append('\n');
            }
            sb.append("echo '").append(r.sourcesLine()).append("' > /etc/apt/sources.list.d/genos-").append(r.name())
                    .append(".list\n");
        }
        return sb.toString();
    }

    /** The packages the repositories of this OS list; a repository that cannot be read is named with the reason. */
    public Packages packages(Os os) {
        List<PackageIndex.Entry> all = new ArrayList<>();
        Map<String, String> unreadable = new java.util.LinkedHashMap<>();
        for (AptRepository r : forOs(os)) {
            Read read = cache.get(r.name());
            if (read == null || read.at().plus(KEEP).isBefore(clock.instant())) {
                try {
                    read = new Read(clock.instant(), read(r));
                    cache.put(r.name(), read);
                } catch (IOException e) {
                    unreadable.put(r.name(), e.getMessage());
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unreadable.put(r.name(), "interrupted");
                    continue;
                }
            }
            all.addAll(read.packages());
        }
        return new Packages(List.copyOf(all), Map.copyOf(unreadable));
    }

    /** The index files of a repository, relative to its URL: Packages.gz or Packages of each component. */
    static List<String> indexPaths(AptRepository r) {
        List<String> dirs = new ArrayList<>();
        if (r.components().isEmpty()) {
            dirs.add(r.suite().equals("./") ? "" : r.suite());
        } else {
            for (String c : r.components()) {
                dirs.add("dists/" + r.suite() + "/" + c + "/binary-amd64/");
            }
        }
        return dirs;
    }

    private static List<PackageIndex.Entry> read(AptRepository r) throws IOException, InterruptedException {
        List<PackageIndex.Entry> out = new ArrayList<>();
        for (String dir : indexPaths(r)) {
            IOException last = null;
            boolean found = false;
            for (String file : List.of("Packages.gz", "Packages")) {
                try (InputStream raw = open(r, dir + file)) {
                    if (raw == null) {
                        continue;
                    }
                    InputStream limited = new Limited(raw, MAX_INDEX_BYTES);
                    InputStream in = file.endsWith(".gz") ? new Limited(new GZIPInputStream(limited), MAX_INDEX_BYTES)
                            : limited;
                    out.addAll(PackageIndex.readDebianPackages(new BufferedReader(
                            new InputStreamReader(in, StandardCharsets.UTF_8))));
                    found = true;
                    break;
                } catch (IOException e) {
                    last = e;
                }
            }
            if (!found) {
                throw new IOException("no Packages index at " + r.url() + "/" + dir
                        + (last == null ? "" : " (" + last.getMessage() + ")"));
            }
        }
        return out;
    }

    /** The file's content, or null when the repository has no such file. */
    private static InputStream open(AptRepository r, String relative) throws IOException, InterruptedException {
        if (r.isFile()) {
            Path file = r.directory().resolve(relative).normalize();
            if (!file.startsWith(r.directory())) {
                throw new IOException("the index path leaves the repository");
            }
            return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
        }
        String base = r.url().endsWith("/") ? r.url() : r.url() + "/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base + relative))
                .timeout(FETCH_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 404) {
            response.body().close();
            return null;
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(base + relative + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    /** Refuses to read past a limit (a hostile or broken repository cannot fill the memory). */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw new IOException("the repository's index is larger than " + (MAX_INDEX_BYTES >> 20) + " MiB");
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("the repository's index is larger than " + (MAX_INDEX_BYTES >> 20) + " MiB");
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
