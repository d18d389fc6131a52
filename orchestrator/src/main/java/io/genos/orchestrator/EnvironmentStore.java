package io.genos.orchestrator;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Streaming.Protocol;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Environments and their events in the database (Spring JDBC). State changes are compare-and-set on the state. */
@Component
class EnvironmentStore {
    private static final JsonMapper JSON =
            JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String COLUMNS = "id, owner, name, image_id, kind, state, state_reason, progress, "
            + "progress_text, runtime_ref, display_host, display_port, display_password, spec_json, warnings_json, "
            + "created_at, updated_at, expires_at, display_protocol";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    EnvironmentStore(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(transactions);
    }

    /** For code and tests without Spring. */
    static EnvironmentStore of(DataSource dataSource) {
        return new EnvironmentStore(dataSource, new DataSourceTransactionManager(dataSource));
    }

    /** Inserts a new environment with its first event; a live environment of the same owner and name is refused. */
    void insert(Environment e, String actor) {
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("insert into genos_environment (" + COLUMNS + ", active_name) values "
                                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(e.id(), e.owner(), e.name(), e.imageId(), e.kind().json(), e.state().name(),
                                e.stateReason(), e.progress(), e.progressText(), e.runtimeRef(), e.displayHost(),
                                e.displayPort(), e.displayPassword(), JSON.writeValueAsString(e.spec()),
                                JSON.writeValueAsString(e.warnings()), ts(e.createdAt()), ts(e.updatedAt()),
                                ts(e.expiresAt()), e.displayProtocol().json(),
                                e.state() == EnvironmentState.DESTROYED ? null : e.name())
                        .update();
                event(e.id(), e.updatedAt(), actor, null, e.state(), e.stateReason());
            });
        } catch (DuplicateKeyException ex) {
            throw new InvalidRequestException(
                    e.owner() + " already has an environment named \"" + e.name() + "\"; choose another name");
        }
    }

    /**
     * Stores {@code e} if the stored state is still {@code expected}, and records the event when the state changed.
     *
     * @return false when someone else changed the state first (nothing written)
     */
    boolean update(Environment e, EnvironmentState expected, String actor) {
        Boolean ok = tx.execute(status -> {
            int n = jdbc.sql("update genos_environment set state = ?, state_reason = ?, progress = ?, progress_text = ?, "
                            + "runtime_ref = ?, display_host = ?, display_port = ?, updated_at = ?, active_name = ? "
                            + "where id = ? and state = ?")
                    .params(e.state().name(), e.stateReason(), e.progress(), e.progressText(), e.runtimeRef(),
                            e.displayHost(), e.displayPort(), ts(e.updatedAt()),
                            e.state() == EnvironmentState.DESTROYED ? null : e.name(), e.id(), expected.name())
                    .update();
            if (n == 1 && e.state() != expected) {
                event(e.id(), e.updatedAt(), actor, expected, e.state(), e.stateReason());
            }
            return n == 1;
        });
        return Boolean.TRUE.equals(ok);
    }

    /**
     * Moves the end of the lifetime from {@code expected} to {@code e.expiresAt()} and records why, in one transaction.
     *
     * @return false when the lifetime or the state changed meanwhile (nothing written)
     */
    boolean extendLifetime(Environment e, Instant expected, String actor, String reason) {
        Boolean ok = tx.execute(status -> {
            int n = jdbc.sql("update genos_environment set expires_at = ? where id = ? and state = ? and expires_at = ?")
                    .params(ts(e.expiresAt()), e.id(), e.state().name(), ts(expected))
                    .update();
            if (n == 1) {
                event(e.id(), e.updatedAt(), actor, e.state(), e.state(), reason);
            }
            return n == 1;
        });
        return Boolean.TRUE.equals(ok);
    }

    /** Records an event that changes no state (e.g. a snapshot taken): from and to are both the current state. */
    void note(Environment e, Instant at, String actor, String reason) {
        tx.executeWithoutResult(status -> event(e.id(), at, actor, e.state(), e.state(), reason));
    }

    private void event(String id, Instant at, String actor, EnvironmentState from, EnvironmentState to, String reason) {
        jdbc.sql("insert into genos_environment_event (environment_id, occurred_at, actor, from_state, to_state, reason) "
                        + "values (?, ?, ?, ?, ?, ?)")
                .params(id, ts(at), actor, from == null ? null : from.name(), to.name(), reason)
                .update();
    }

    Optional<Environment> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from genos_environment where id = ?").param(id)
                .query(EnvironmentStore::row).optional();
    }

    List<Environment> listByOwner(String owner) {
        return jdbc.sql("select " + COLUMNS + " from genos_environment where owner = ? order by created_at, id")
                .param(owner).query(EnvironmentStore::row).list();
    }

    List<Environment> listAll() {
        return jdbc.sql("select " + COLUMNS + " from genos_environment order by created_at, id")
                .query(EnvironmentStore::row).list();
    }

    List<Environment> listInStates(List<EnvironmentState> states) {
        return listAll().stream().filter(e -> states.contains(e.state())).toList();
    }

    List<EnvironmentEvent> events(String id) {
        return jdbc.sql("select environment_id, occurred_at, actor, from_state, to_state, reason "
                        + "from genos_environment_event where environment_id = ? order by id")
                .param(id)
                .query((rs, n) -> new EnvironmentEvent(rs.getString(1), instant(rs, 2), rs.getString(3),
                        rs.getString(4) == null ? null : EnvironmentState.valueOf(rs.getString(4)),
                        EnvironmentState.valueOf(rs.getString(5)), rs.getString(6)))
                .list();
    }

    /** Keeps a longer text (a layer's build log) with the environment's history; cut to the column's size. */
    void log(String environmentId, Instant at, String title, String body) {
        String t = title.length() > 400 ? title.substring(0, 399) + "…" : title;
        String b = body.length() > 65_000 ? "…" + body.substring(body.length() - 65_000) : body;
        tx.executeWithoutResult(status -> jdbc.sql("insert into genos_environment_log (environment_id, occurred_at, "
                + "title, body) values (?, ?, ?, ?)").params(environmentId, ts(at), t, b).update());
    }

    List<EnvironmentLog> logs(String environmentId) {
        return jdbc.sql("select environment_id, occurred_at, title, body from genos_environment_log "
                        + "where environment_id = ? order by id")
                .param(environmentId)
                .query((rs, n) -> new EnvironmentLog(rs.getString(1), instant(rs, 2), rs.getString(3), rs.getString(4)))
                .list();
    }

    /**
     * This installation's id: a random UUID stored in the database at first use (two processes starting at once on
     * one database agree on the first one stored).
     */
    String installationId() {
        Optional<String> id = jdbc.sql("select id from genos_installation where singleton = 1").query(String.class)
                .optional();
        if (id.isPresent()) {
            return id.get();
        }
        try {
            jdbc.sql("insert into genos_installation (singleton, id, created_at) values (1, ?, ?)")
                    .params(java.util.UUID.randomUUID().toString(), ts(Instant.now())).update();
        } catch (DuplicateKeyException other) {
            // another process stored one first
        }
        return jdbc.sql("select id from genos_installation where singleton = 1").query(String.class).single();
    }

    /** The spec as the database stores it (JSON). */
    static String specJson(EnvironmentSpec spec) {
        return JSON.writeValueAsString(spec);
    }

    /** A spec from {@link #specJson}. */
    static EnvironmentSpec spec(String json) {
        return JSON.readValue(json, EnvironmentSpec.class);
    }

    private static Environment row(ResultSet rs, int n) throws SQLException {
        return new Environment(rs.getString("id"), rs.getString("owner"), rs.getString("name"),
                rs.getString("image_id"), Kind.fromJson(rs.getString("kind")),
                EnvironmentState.valueOf(rs.getString("state")), rs.getString("state_reason"), rs.getInt("progress"),
                rs.getString("progress_text"), rs.getString("runtime_ref"), rs.getString("display_host"),
                rs.getInt("display_port"), rs.getString("display_password"),
                JSON.readValue(rs.getString("spec_json"), EnvironmentSpec.class),
                JSON.readValue(rs.getString("warnings_json"), new TypeReference<List<String>>() {}),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "expires_at"),
                rs.getString("display_protocol") == null ? Protocol.VNC
                        : Protocol.valueOf(rs.getString("display_protocol").toUpperCase(java.util.Locale.ROOT)));
    }

    private static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
