package io.genos.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private, throwaway PostgreSQL server for tests: Debian's PostgreSQL 15 binaries, a cluster in a temporary
 * directory, listening on a free loopback port (and a socket in that directory only), trust authentication for the
 * user {@value #USER}, no fsync. One per JVM ({@link #shared()}): started at the first call, stopped and deleted when
 * the JVM exits. Each caller takes a fresh database of its own with {@link #createDatabase(String)}.
 *
 * <p>Where the binaries are missing it fails, saying what to install ({@code ./genos test} installs
 * {@code postgresql-15}); it never skips. Run as root, the server runs as the user {@code postgres} (PostgreSQL
 * refuses root). The binaries' directory can be changed with the system property {@code genos.test.postgres-bin}.
 *
 * <p>The PostgreSQL JDBC driver must be on the caller's classpath ({@link #createDatabase} uses it).
 */
public final class PrivatePostgres {
    /** The superuser the cluster is created with; it signs in without a password (trust, loopback only). */
    public static final String USER = "genos";
    private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Object LOCK = new Object();
    private static volatile PrivatePostgres shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean root;
    private final AtomicInteger databases = new AtomicInteger();

    private PrivatePostgres(Path bin, Path dir, int port, boolean root) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.root = root;
    }

    /** The server of this JVM, started at the first call (about 1–2 s), stopped and deleted at the JVM's exit. */
    public static PrivatePostgres shared() {
        PrivatePostgres s = shared;
        if (s == null) {
            synchronized (LOCK) {
                s = shared;
                if (s == null) {
                    s = start();
                    PrivatePostgres started = s;
                    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("private-postgres-stop")
                            .unstarted(started::stop));
                    shared = s;
                }
            }
        }
        return s;
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return "";
    }

    /** The JDBC URL of one of this server's databases. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates an empty database of its own for one caller; answers its name ({@code prefix_N}). */
    public String createDatabase(String prefix) {
        String name = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
                + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, password());
                Statement s = c.createStatement()) {
            s.execute("create database \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database " + name + " on the private PostgreSQL at "
                    + jdbcUrl("postgres") + " (is the PostgreSQL JDBC driver on the classpath?)", e);
        }
        return name;
    }

    private static PrivatePostgres start() {
        Path bin = Path.of(System.getProperty("genos.test.postgres-bin", DEFAULT_BIN.toString()));
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL 15 is not installed here: " + bin.resolve(tool)
                        + " is missing. Install Debian's package postgresql-15 (./genos test does: apt-get install "
                        + "postgresql-15), or point -Dgenos.test.postgres-bin at a PostgreSQL bin directory.");
            }
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("genos-pg-");
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            run(asPostgres(root, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=trust", "--no-sync", "--encoding=UTF8", "--locale=C.UTF-8"));
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before the server binds it
                int port = freePort();
                try {
                    run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                            "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                                    + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
                                    + " -c shared_buffers=32MB",
                            "start"));
                    return new PrivatePostgres(bin, dir, port, root);
                } catch (IllegalStateException e) {
                    last = e;
                }
            }
            deleteRecursively(dir);
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a private PostgreSQL", e);
        }
    }

    private void stop() {
        try {
            run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                    "immediate", "-w", "stop"));
        } catch (RuntimeException e) {
            System.err.println("private PostgreSQL: " + e.getMessage());
        } finally {
            deleteRecursively(dir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<String> asPostgres(boolean root, String... command) {
        List<String> c = new ArrayList<>();
        if (root) {
            c.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        c.addAll(List.of(command));
        return c;
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s:\n" + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
                        + out + logTail(command));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** The server's own log, for a failed start. */
    private static String logTail(List<String> command) {
        int l = command.indexOf("-l");
        if (l < 0) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(command.get(l + 1)));
            return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("private PostgreSQL: could not delete " + dir + ": " + e);
        }
    }
}
