package io.genos.portal.security;

import io.genos.portal.audit.AuditLog;
import io.genos.portal.service.Actor;
import io.genos.portal.service.NotAllowedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.stereotype.Component;

/**
 * Local users as admins manage them, for the Users view and the API alike: add with a role and a password, enable,
 * disable, delete. Only admins; nobody disables or deletes themselves (the last admin cannot lock everyone out). A
 * disabled or deleted user's sessions, tunnels and terminals end at once; every change is audited.
 */
@Component
public class UserDirectory {
    public static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    public static final int MIN_PASSWORD = 10;

    /** A user as listed: roles in lower case without {@code ROLE_}. */
    public record Listed(String username, boolean enabled, List<String> roles) {
        public boolean admin() {
            return roles.contains("admin");
        }
    }

    private final JdbcUserDetailsManager users;
    private final PasswordEncoder encoder;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final UserAccess access;

    public UserDirectory(JdbcUserDetailsManager users, PasswordEncoder encoder, JdbcClient jdbc, AuditLog audit,
            UserAccess access) {
        this.users = users;
        this.encoder = encoder;
        this.jdbc = jdbc;
        this.audit = audit;
        this.access = access;
    }

    public List<Listed> list(Actor actor) {
        requireAdmin(actor);
        // two plain queries, grouped here: portable across H2 and PostgreSQL
        Map<String, List<String>> roles = new TreeMap<>();
        jdbc.sql("select username, authority from authorities").query((rs, i) -> {
            roles.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(rs.getString(2).replace("ROLE_", "").toLowerCase(Locale.ROOT));
            return null;
        }).list();
        return jdbc.sql("select username, enabled from users order by username")
                .query((rs, i) -> new Listed(rs.getString(1), rs.getBoolean(2),
                        roles.getOrDefault(rs.getString(1), List.of()).stream().sorted().toList()))
                .list();
    }

    /**
     * @param role {@code USER} or {@code ADMIN}
     * @throws IllegalArgumentException saying what is wrong (nothing is created)
     */
    public void create(String username, String password, String role, Actor actor) {
        requireAdmin(actor);
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "A username is 2 to 32 lower-case letters, digits, dots, dashes or underscores, starting with a letter.");
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > Passwords.MAX_LENGTH) {
            throw new IllegalArgumentException("The password needs at least " + MIN_PASSWORD + " characters (and at most "
                    + Passwords.MAX_LENGTH + ").");
        }
        if (!List.of("USER", "ADMIN").contains(role)) {
            throw new IllegalArgumentException("Unknown role " + role + ": USER or ADMIN.");
        }
        if (users.userExists(username)) {
            throw new IllegalArgumentException("There is already a user " + username + ".");
        }
        users.createUser(User.withUsername(username).password(encoder.encode(password))
                .roles(role.equals("ADMIN") ? new String[] {"ADMIN", "USER"} : new String[] {"USER"}).build());
        audit.record(actor.name(), "user created", "user " + username, "role " + role.toLowerCase(Locale.ROOT));
    }

    /** Enables or disables a user; a disabled one loses their pages, tunnels, terminals and tokens now. */
    public void setEnabled(String username, boolean enabled, Actor actor) {
        requireAdmin(actor);
        requireOther(username, actor);
        int n = jdbc.sql("update users set enabled = :e where username = :u").param("e", enabled).param("u", username)
                .update();
        if (n == 0) {
            throw new IllegalArgumentException("There is no user " + username + ".");
        }
        audit.record(actor.name(), enabled ? "user enabled" : "user disabled", "user " + username, null);
        if (!enabled) {
            access.revoke(username);
        }
    }

    /** Deletes a user; their environments stay until an admin destroys them. */
    public void delete(String username, Actor actor) {
        requireAdmin(actor);
        requireOther(username, actor);
        if (!users.userExists(username)) {
            throw new IllegalArgumentException("There is no user " + username + ".");
        }
        users.deleteUser(username);
        access.revoke(username);
        audit.record(actor.name(), "user deleted", "user " + username,
                "their environments stay until an admin destroys them");
    }

    private static void requireAdmin(Actor actor) {
        if (!actor.admin()) {
            throw new NotAllowedException("Only admins manage users.");
        }
    }

    private static void requireOther(String username, Actor actor) {
        if (actor.name().equals(username)) {
            throw new IllegalArgumentException("Nobody disables or deletes themselves.");
        }
    }
}
