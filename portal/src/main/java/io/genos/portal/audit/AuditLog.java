package io.genos.portal.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit trail an admin reads: every environment's state changes and notes (kept by the orchestrator), what admins
 * did to users (kept here) and to images (kept by the image registry), newest first, in one list.
 */
@Component
public class AuditLog {

    /** One line of the trail. {@code subject} names what it happened to, e.g. "environment work (alice)". */
    public record Entry(Instant at, String actor, String action, String subject, String detail) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public AuditLog(JdbcClient jdbc) {
        this(jdbc, Clock.systemUTC());
    }

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records what {@code actor} did to {@code subject}. */
    public void record(String actor, String action, String subject, String detail) {
        jdbc.sql("insert into genos_audit (occurred_at, actor, action, subject, detail) values (?, ?, ?, ?, ?)")
                .params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), actor, action, subject, detail)
                .update();
    }

    /**
     * The newest {@code limit} entries whose actor, action, subject or detail contain {@code filter} (any case; blank
     * for all), newest first.
     */
    public List<Entry> recent(String filter, int limit) {
        String like = "%" + (filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT)) + "%";
        int n = Math.clamp(limit, 1, 10_000);
        List<Entry> out = new ArrayList<>();
        out.addAll(jdbc.sql("""
                        select e.occurred_at, e.actor, e.from_state, e.to_state, e.reason, v.name, v.owner
                        from genos_environment_event e join genos_environment v on v.id = e.environment_id
                        where lower(e.actor) like :f or lower(coalesce(e.reason, '')) like :f or lower(v.name) like :f
                           or lower(v.owner) like :f or lower(e.to_state) like :f or lower(v.id) like :f
                        order by e.occurred_at desc, e.id desc
                        fetch first %d rows only""".formatted(n))
                .param("f", like).query((rs, i) -> {
                    String from = rs.getString("from_state");
                    String to = rs.getString("to_state");
                    String action = from == null ? lower(to) : from.equals(to) ? "note" : lower(from) + " → " + lower(to);
                    return new Entry(instant(rs.getTimestamp("occurred_at")), rs.getString("actor"), action,
                            "environment " + rs.getString("name") + " (" + rs.getString("owner") + ")",
                            rs.getString("reason"));
                }).list());
        out.addAll(jdbc.sql("""
                        select occurred_at, actor, action, subject, detail from genos_audit
                        where lower(actor) like :f or lower(action) like :f or lower(subject) like :f
                           or lower(coalesce(detail, '')) like :f
                        order by occurred_at desc, id desc
                        fetch first %d rows only""".formatted(n))
                .param("f", like).query((rs, i) -> new Entry(instant(rs.getTimestamp("occurred_at")),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("detail")))
                .list());
        out.addAll(jdbc.sql("""
                        select occurred_at, actor, action, image_id, detail from genos_image_audit
                        where lower(actor) like :f or lower(action) like :f or lower(image_id) like :f
                           or lower(coalesce(detail, '')) like :f or 'image' like :f
                        order by occurred_at desc, id desc
                        fetch first %d rows only""".formatted(n))
                .param("f", like).query((rs, i) -> new Entry(instant(rs.getTimestamp("occurred_at")),
                        rs.getString("actor"), "image " + rs.getString("action"), "image " + rs.getString("image_id"),
                        rs.getString("detail")))
                .list());
        return out.stream().sorted(Comparator.comparing(Entry::at).reversed()).limit(n).toList();
    }

    private static String lower(String state) {
        return state.toLowerCase(Locale.ROOT);
    }

    private static Instant instant(Timestamp t) {
        return t.toInstant();
    }
}
