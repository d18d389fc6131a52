package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 file database keeps environments and their events across a restart (a new DataSource, Flyway run again). */
class EnvironmentStorePersistenceTest {

    @TempDir
    Path dir;

    @Test
    void environmentsAndTheirEventsSurviveReopeningTheDatabaseFile() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db/genos");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var spec = Specs.resolution("persisted", 2, 512, Egress.NONE, "genos/debian-openbox:latest", "PT8H").spec();
        Environment e = Environment.builder().id("0b8f4c7e-0000-4000-8000-000000000001").owner("alice")
                .name("persisted").imageId("debian-openbox").kind(Kind.CONTAINER).state(EnvironmentState.REQUESTED)
                .stateReason("requested by alice").progressText("queued").displayPassword("Secr3tPw").spec(spec)
                .warnings(List.of("a warning")).at(t0).expiresAt(t0.plus(8, ChronoUnit.HOURS)).build();

        DataSource first = TestDatabase.migrated(url);
        EnvironmentStore store = EnvironmentStore.of(first);
        store.insert(e, "alice");
        Environment running = e.withState(EnvironmentState.PROVISIONING, "provisioning", t0.plusSeconds(1));
        assertThat(store.update(running, EnvironmentState.REQUESTED, "genos")).isTrue();
        assertThat(store.update(running.withState(EnvironmentState.RUNNING, "up", t0.plusSeconds(2))
                .withDisplay("172.18.0.2", 5901).withRuntimeRef("abc"), EnvironmentState.PROVISIONING, "genos")).isTrue();
        assertThat(store.update(running.withState(EnvironmentState.FAILED, "late", t0.plusSeconds(3)),
                EnvironmentState.PROVISIONING, "genos")).as("compare-and-set on a stale state").isFalse();
        try (Connection c = first.getConnection(); Statement s = c.createStatement()) {
            s.execute("shutdown");
        }

        EnvironmentStore reopened = EnvironmentStore.of(TestDatabase.migrated(url));
        Environment back = reopened.find(e.id()).orElseThrow();
        assertThat(back.state()).isEqualTo(EnvironmentState.RUNNING);
        assertThat(back.spec()).isEqualTo(spec);
        assertThat(back.warnings()).containsExactly("a warning");
        assertThat(back.displayHost()).isEqualTo("172.18.0.2");
        assertThat(back.displayPort()).isEqualTo(5901);
        assertThat(back.displayPassword()).isEqualTo("Secr3tPw");
        assertThat(back.runtimeRef()).isEqualTo("abc");
        assertThat(back.createdAt()).isEqualTo(t0);
        assertThat(back.updatedAt()).isEqualTo(t0.plusSeconds(2));
        assertThat(back.expiresAt()).isEqualTo(t0.plus(8, ChronoUnit.HOURS));
        assertThat(reopened.events(e.id())).extracting(EnvironmentEvent::to).containsExactly(
                EnvironmentState.REQUESTED, EnvironmentState.PROVISIONING, EnvironmentState.RUNNING);
        assertThat(reopened.listByOwner("alice")).hasSize(1);
        assertThat(reopened.listByOwner("bob")).isEmpty();
    }
}
