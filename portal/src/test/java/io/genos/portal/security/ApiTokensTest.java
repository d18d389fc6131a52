package io.genos.portal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.portal.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Personal API tokens on the portal's own tables (H2, the real migrations): only a hash is stored, the token works
 * until it expires or is revoked, and no longer once its owner is disabled or gone; bad tokens are refused.
 */
class ApiTokensTest {

    private final Map<String, UserDetails> users = new HashMap<>();
    private JdbcClient jdbc;
    private Instant now = Instant.parse("2026-11-29T10:00:00Z");
    private ApiTokens tokens;

    @BeforeEach
    void setUp() {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:tokens-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V120__audit.sql"),
                new ClassPathResource("db/migration/V130__api_tokens.sql")).execute(ds);
        jdbc = JdbcClient.create(ds);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        tokens = new ApiTokens(jdbc, name -> {
            UserDetails u = users.get(name);
            if (u == null) {
                throw new UsernameNotFoundException(name);
            }
            return u;
        }, new AuditLog(jdbc), clock);
        users.put("rita", User.withUsername("rita").password("x").roles("USER").build());
    }

    @Test
    void aTokenActsForItsOwnerAndOnlyItsHashIsKept() {
        var made = tokens.create("rita", "laptop", Duration.ofDays(30));
        assertThat(made.token()).matches("genos_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
        assertThat(tokens.authenticate(made.token())).get().satisfies(b -> {
            assertThat(b.owner()).isEqualTo("rita");
            assertThat(b.authorities()).containsExactly("ROLE_USER");
        });
        String secret = made.token().substring(made.token().lastIndexOf('_') + 1);
        String stored = jdbc.sql("select secret_hash from genos_api_token").query(String.class).single();
        assertThat(stored).hasSize(64).doesNotContain(secret);
        assertThat(jdbc.sql("select count(*) from genos_audit where action = 'token created'").query(Integer.class)
                .single()).isEqualTo(1);
    }

    @Test
    void wrongExpiredRevokedAndOrphanedTokensAreRefused() {
        var made = tokens.create("rita", "laptop", Duration.ofDays(1));
        String t = made.token();
        assertThat(tokens.authenticate(t.substring(0, t.length() - 1) + (t.endsWith("A") ? "B" : "A"))).isEmpty();
        assertThat(tokens.authenticate("genos_" + "x".repeat(200))).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();

        now = now.plus(Duration.ofDays(1)).plusSeconds(1);
        assertThat(tokens.authenticate(t)).as("expired").isEmpty();

        var second = tokens.create("rita", "ci", Duration.ofDays(7));
        assertThat(tokens.revoke(second.listed().id(), "sam", false)).as("someone else's").isFalse();
        assertThat(tokens.authenticate(second.token())).isPresent();
        assertThat(tokens.revoke(second.listed().id(), "rita", false)).isTrue();
        assertThat(tokens.authenticate(second.token())).as("revoked").isEmpty();

        var third = tokens.create("rita", "cron", Duration.ofDays(7));
        users.put("rita", User.withUsername("rita").password("x").roles("USER").disabled(true).build());
        assertThat(tokens.authenticate(third.token())).as("owner disabled").isEmpty();
        users.remove("rita");
        assertThat(tokens.authenticate(third.token())).as("owner deleted").isEmpty();
    }

    @Test
    void namesLifetimesAndCountsAreBounded() {
        assertThatThrownBy(() -> tokens.create("rita", " ", Duration.ofDays(1))).hasMessageContaining("Name the token");
        assertThatThrownBy(() -> tokens.create("rita", "x", Duration.ofDays(366))).hasMessageContaining("1 to 365");
        assertThatThrownBy(() -> tokens.create("rita", "bell\u0007", Duration.ofDays(1)))
                .hasMessageContaining("Name the token");
        for (int i = 0; i < ApiTokens.MAX_PER_USER; i++) {
            tokens.create("rita", "t" + i, Duration.ofDays(1));
        }
        assertThatThrownBy(() -> tokens.create("rita", "one more", Duration.ofDays(1))).hasMessageContaining("revoke one");
        assertThat(tokens.list("rita")).hasSize(ApiTokens.MAX_PER_USER);
        assertThatThrownBy(() -> tokens.create("keycloak-only", "x", Duration.ofDays(1)))
                .as("someone who is not a local user (signed in through Keycloak)").hasMessageContaining("genos-cli");
    }
}
