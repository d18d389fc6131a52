package io.genos.portal.security;

import io.genos.portal.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Personal API tokens, for scripts and the CLI: {@code genos_<id>_<secret>}, shown once when made; only a SHA-256 hash
 * of the secret is stored (the secret is 32 random bytes, so a fast hash is enough). A token acts as its owner with the
 * owner's roles as they are at each request: a disabled or deleted owner's tokens stop at once. Tokens expire (at most
 * a year) and can be revoked; making and revoking one is audited.
 */
@Component
public class ApiTokens {
    public static final String PREFIX = "genos_";
    /** Most live tokens a user holds at once. */
    public static final int MAX_PER_USER = 20;
    public static final Duration LONGEST = Duration.ofDays(365);
    private static final Pattern FORMAT = Pattern.compile("genos_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** A token as listed: never its secret. */
    public record Listed(String id, String owner, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
            Instant revokedAt) {
        public boolean live(Instant now) {
            return revokedAt == null && expiresAt.isAfter(now);
        }
    }

    /** A token just made: {@code token} is the only time its secret is seen. */
    public record Created(Listed listed, String token) {}

    /** Who a valid token acts for. */
    public record Bearer(String tokenId, String owner, List<String> authorities) {}

    private final JdbcClient jdbc;
    private final UserDetailsService users;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @org.springframework.beans.factory.annotation.Autowired
    public ApiTokens(JdbcClient jdbc, UserDetailsService users, AuditLog audit) {
        this(jdbc, users, audit, Clock.systemUTC());
    }

    ApiTokens(JdbcClient jdbc, UserDetailsService users, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Makes a token for {@code owner}, valid for {@code lifetime}.
     *
     * @throws IllegalArgumentException for a blank or long name, a lifetime not within a day and a year, or too many
     *     live tokens
     */
    public Created create(String owner, String name, Duration lifetime) {
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > 80 || label.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("Name the token (1 to 80 characters), e.g. after the script that uses it.");
        }
        if (lifetime == null || lifetime.compareTo(Duration.ofDays(1)) < 0 || lifetime.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("A token lasts from 1 to 365 days.");
        }
        try {
            users.loadUserByUsername(owner);
        } catch (UsernameNotFoundException notLocal) {
            throw new IllegalArgumentException("Personal tokens are for local users; your account is Keycloak's: "
                    + "use an access token of the realm's client genos-cli (configs/keycloak/README.md).");
        }
        Instant now = clock.instant();
        long live = list(owner).stream().filter(t -> t.live(now)).count();
        if (live >= MAX_PER_USER) {
            throw new IllegalArgumentException("You have " + live + " tokens, the most a user may hold: revoke one first.");
        }
        String id = randomId();
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant expires = now.plus(lifetime);
        jdbc.sql("insert into genos_api_token (id, owner, name, secret_hash, created_at, expires_at) values (?, ?, ?, ?, ?, ?)")
                .params(id, owner, label, hash(secret), utc(now), utc(expires)).update();
        audit.record(owner, "token created", "token " + id, "\"" + label + "\" for " + owner + ", until " + expires);
        return new Created(new Listed(id, owner, label, now, expires, null, null), PREFIX + id + "_" + secret);
    }

    /** The user's tokens, newest first (revoked and expired ones too, marked so). */
    public List<Listed> list(String owner) {
        return jdbc.sql("""
                select id, owner, name, created_at, expires_at, last_used_at, revoked_at from genos_api_token
                where owner = ? order by created_at desc""").param(owner)
                .query((rs, i) -> new Listed(rs.getString("id"), rs.getString("owner"), rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                        instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at"))))
                .list();
    }

    /**
     * Revokes one of the owner's tokens (an admin may revoke anyone's).
     *
     * @return whether a live token was revoked
     */
    public boolean revoke(String id, String actor, boolean admin) {
        int n = admin
                ? jdbc.sql("update genos_api_token set revoked_at = ? where id = ? and revoked_at is null")
                        .params(utc(clock.instant()), id).update()
                : jdbc.sql("update genos_api_token set revoked_at = ? where id = ? and owner = ? and revoked_at is null")
                        .params(utc(clock.instant()), id, actor).update();
        if (n > 0) {
            audit.record(actor, "token revoked", "token " + id, actor + " revoked the token " + id);
        }
        return n > 0;
    }

    /**
     * Who the token acts for, when it is well-formed, known, live, and its owner exists and is enabled now; its last
     * use is noted (at most once a minute).
     */
    public Optional<Bearer> authenticate(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        var m = FORMAT.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(1);
        byte[] presented = hash(m.group(2)).getBytes(StandardCharsets.US_ASCII);
        record Row(String owner, String hash, Instant expires, Instant revoked, Instant lastUsed) {}
        Optional<Row> row = jdbc.sql("select owner, secret_hash, expires_at, revoked_at, last_used_at from genos_api_token where id = ?")
                .param(id).query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)))).optional();
        Instant now = clock.instant();
        if (row.isEmpty() || !MessageDigest.isEqual(presented, row.get().hash().getBytes(StandardCharsets.US_ASCII))
                || row.get().revoked() != null || !row.get().expires().isAfter(now)) {
            return Optional.empty();
        }
        UserDetails owner;
        try {
            owner = users.loadUserByUsername(row.get().owner());
        } catch (UsernameNotFoundException gone) {
            return Optional.empty();
        }
        if (!owner.isEnabled() || !owner.isAccountNonLocked()) {
            return Optional.empty();
        }
        if (row.get().lastUsed() == null || row.get().lastUsed().isBefore(now.minusSeconds(60))) {
            jdbc.sql("update genos_api_token set last_used_at = ? where id = ?").params(utc(now), id).update();
        }
        return Optional.of(new Bearer(id, owner.getUsername(),
                owner.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList()));
    }

    private String randomId() {
        StringBuilder b = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
