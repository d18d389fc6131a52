package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import io.genos.testsupport.PrivatePostgres;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The same migrations and store on a real PostgreSQL: a fresh database on the private, throwaway server of this test
 * JVM ({@link PrivatePostgres}: Debian's PostgreSQL 15 binaries in a temporary directory on a free loopback port,
 * stopped and deleted at the JVM's exit). Fails where the binaries are missing: ./genos test installs them.
 */
class EnvironmentStorePostgresIT {

    @Test
    void theMigrationsAndTheStoreWorkOnPostgresql() {
        PrivatePostgres pg = PrivatePostgres.shared();
        DataSource ds = new DriverManagerDataSource(pg.jdbcUrl(pg.createDatabase("orchestrator")), pg.user(),
                pg.password());
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

    @Test
    void theImageCacheKeepsPinsAndUseOnPostgresql() {
        PrivatePostgres pg = PrivatePostgres.shared();
        DataSource ds = new DriverManagerDataSource(pg.jdbcUrl(pg.createDatabase("image_cache")), pg.user(),
                pg.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        Instant built = Instant.now().truncatedTo(ChronoUnit.MICROS).minus(2, ChronoUnit.HOURS);
        CachedImage layer = new CachedImage("genos-composed:pg", "sha256:pg", null, "packages", "htop", 1 << 20, built,
                List.of(), false);
        // a runtime that keeps just that layer (only cachedImages is asked)
        EnvironmentRuntime runtime = (EnvironmentRuntime) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {EnvironmentRuntime.class}, (proxy, method, args) -> {
                    if (method.getName().equals("cachedImages")) {
                        return List.of(layer);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ImageCache cache = new ImageCache(List.of(runtime), ds, EnvironmentStore.of(ds), 1L << 40,
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));

        assertThat(cache.list()).singleElement().satisfies(e -> {
            assertThat(e.pinned()).isFalse();
            assertThat(e.lastUsed()).as("never used: its build time").isEqualTo(built);
        });
        cache.pin("genos-composed:pg", true);
        assertThat(cache.list()).singleElement().satisfies(e -> {
            assertThat(e.pinned()).isTrue();
            assertThat(e.lastUsed()).as("first seen now").isEqualTo(now);
        });
        cache.pin("genos-composed:pg", false);
        assertThat(cache.list()).singleElement().satisfies(e -> assertThat(e.pinned()).isFalse());
        assertThatThrownBy(() -> cache.pin("genos-composed:nothing", true)).isInstanceOf(InvalidRequestException.class);
    }
}
