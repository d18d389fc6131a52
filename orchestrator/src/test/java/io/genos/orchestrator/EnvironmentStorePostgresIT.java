package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * The same migrations and store on a real PostgreSQL: a private, throwaway server (Debian's PostgreSQL 15 binaries)
 * started in a temporary directory on a free loopback port and stopped afterwards. Fails where the binaries are
 * missing: ./genos test installs them.
 */
class EnvironmentStorePostgresIT {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static Path dir;
    private static int port;

    @BeforeAll
    static void startPostgres() throws Exception {
        assertThat(BIN.resolve("initdb")).as("PostgreSQL 15 (Debian package postgresql-15; ./genos test installs it)").isExecutable();
        dir = Files.createTempDirectory("genos-pg-");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        run(asPostgres(root, BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "genos",
                "--auth=trust", "--no-sync"));
        run(asPostgres(root, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (dir != null) {
            boolean root = "root".equals(System.getProperty("user.name"));
            try {
                run(asPostgres(root, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                        "immediate", "-w", "stop"));
            } finally {
                FileSystemUtils.deleteRecursively(dir);
            }
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

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    @Test
    void theMigrationsAndTheStoreWorkOnPostgresql() {
        DataSource ds = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "genos", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        EnvironmentStore store = EnvironmentStore.of(ds);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var spec = Specs.resolution("pg", 2, 512, Egress.NONE, "genos/debian-openbox:latest", "PT8H").spec();
        Environment e = Environment.builder().id(UUID.randomUUID().toString()).owner("alice").name("pg")
                .imageId("debian-openbox").kind(Kind.CONTAINER).state(EnvironmentState.REQUESTED)
                .stateReason("requested by alice").progressText("queued").displayPassword("Secr3tPw").spec(spec)
                .warnings(List.of("w1")).at(t0).expiresAt(t0.plus(8, ChronoUnit.HOURS)).build();

        store.insert(e, "alice");
        assertThatThrownBy(() -> store.insert(Environment.builder().id(UUID.randomUUID().toString()).owner("alice")
                .name("pg").imageId("debian-openbox").kind(Kind.CONTAINER).state(EnvironmentState.REQUESTED)
                .displayPassword("x").spec(spec).at(t0).build(), "alice"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already has an environment named");
        assertThat(store.update(e.withState(EnvironmentState.FAILED, "no image", t0.plusSeconds(1)),
                EnvironmentState.REQUESTED, "genos")).isTrue();
        assertThat(store.update(e.withState(EnvironmentState.DESTROYED, "destroyed by alice", t0.plusSeconds(2)),
                EnvironmentState.FAILED, "alice")).isTrue();
        Environment again = Environment.builder().id(UUID.randomUUID().toString()).owner("alice").name("pg")
                .imageId("debian-openbox").kind(Kind.CONTAINER).state(EnvironmentState.REQUESTED)
                .displayPassword("y").spec(spec).at(t0).build();
        store.insert(again, "alice");
        Environment destroyed2 = again.withState(EnvironmentState.FAILED, "x", t0);
        store.update(destroyed2, EnvironmentState.REQUESTED, "genos");
        assertThat(store.update(destroyed2.withState(EnvironmentState.DESTROYED, "gone", t0), EnvironmentState.FAILED,
                "alice")).as("two destroyed environments may share a name (nulls are not unique)").isTrue();

        Environment back = store.find(e.id()).orElseThrow();
        assertThat(back.state()).isEqualTo(EnvironmentState.DESTROYED);
        assertThat(back.spec()).isEqualTo(spec);
        assertThat(back.createdAt()).isEqualTo(t0);
        assertThat(back.expiresAt()).isEqualTo(t0.plus(8, ChronoUnit.HOURS));
        assertThat(store.events(e.id())).extracting(EnvironmentEvent::from, EnvironmentEvent::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, EnvironmentState.REQUESTED),
                org.assertj.core.groups.Tuple.tuple(EnvironmentState.REQUESTED, EnvironmentState.FAILED),
                org.assertj.core.groups.Tuple.tuple(EnvironmentState.FAILED, EnvironmentState.DESTROYED));
        assertThat(store.listByOwner("alice")).hasSize(2);
    }
}
