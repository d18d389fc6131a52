package io.genos.portal;

import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentEvent;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.portal.audit.AuditLog;
import io.genos.portal.images.ImageForm;
import io.genos.portal.images.ImageRegistry;
import io.genos.portal.images.InvalidImageException;
import io.genos.portal.security.Passwords;
import io.genos.portal.security.UserAccess;
import io.genos.portal.support.TestDatabases;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Resources;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.CatalogImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The portal on PostgreSQL, without a browser: the whole application on a fresh database of the private PostgreSQL 15
 * of this test JVM with the profile {@code postgres} (support/TestDatabases), every migration of the orchestrator and
 * of the portal applied, {@code /actuator/health} reporting the database as PostgreSQL, and every store of the portal
 * that speaks SQL round-tripping: users and authorities (JdbcUserDetailsManager, UserAccess, Passwords), the audit
 * trail (AuditLog, joined with the orchestrator's environments and events), registered images (ImageRegistry).
 *
 * <p>It runs in the failsafe execution {@code postgres-its} (alone: {@code -Dit.test=PortalPostgresIT
 * -Dgenos.test.database=postgres}) and fails at once anywhere else: it is also the proof that the execution's setting
 * reached the test JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.health.show-details=always")
class PortalPostgresIT {

    private static final Path HOME = tempHome("genos-postgres-");
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();

    @BeforeAll
    static void onlyOnPostgresql() {
        assertThat(System.getProperty(TestDatabases.PROPERTY))
                .as("PortalPostgresIT checks the portal on PostgreSQL: it runs in the failsafe execution postgres-its, "
                        + "or alone with -Dit.test=PortalPostgresIT -Dgenos.test.database=postgres")
                .isEqualTo("postgres");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> ADMIN_PASSWORD);
    }

    @LocalServerPort
    int port;

    @Autowired
    org.springframework.core.env.Environment env;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    UserAccess access;

    @Autowired
    Passwords passwords;

    @Autowired
    AuditLog audit;

    @Autowired
    ImageRegistry images;

    @Autowired
    Environments environments;

    @Autowired
    io.genos.portal.security.ApiTokens tokens;

    @Test
    void thePortalRunsOnPostgresqlWithEveryMigrationApplied() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(md.getDatabaseMajorVersion()).as(md.getDatabaseProductVersion()).isGreaterThanOrEqualTo(15);
            assertThat(md.getURL()).isEqualTo(env.getProperty(TestDatabases.URL_PROPERTY));
        }
        // through the profile, as in production: application-postgres.properties took GENOS_DB_URL
        assertThat(env.getActiveProfiles()).contains("postgres");
        assertThat(env.getProperty("spring.datasource.url")).isEqualTo(env.getProperty("GENOS_DB_URL"))
                .startsWith("jdbc:postgresql://127.0.0.1:");

        Set<String> onTheClasspath = migrationVersions();
        assertThat(onTheClasspath).as("the orchestrator's and the portal's migrations").contains("1", "100");
        var history = jdbc.sql("select version, success from flyway_schema_history where version is not null")
                .query((rs, i) -> rs.getString("version") + "=" + rs.getBoolean("success")).list();
        assertThat(history).containsExactlyInAnyOrderElementsOf(
                onTheClasspath.stream().map(v -> v + "=true").toList());
    }

    @Test
    void healthReportsPostgresqlAsTheDatabase() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode db = JsonMapper.builder().build().readTree(response.body()).path("components").path("db");
        assertThat(db.path("status").asString("")).as(response.body()).isEqualTo("UP");
        assertThat(db.path("details").path("database").asString("")).as(response.body()).isEqualTo("PostgreSQL");
    }

    @Test
    void usersAndAuthoritiesRoundTrip() {
        assertThat(users.loadUserByUsername("admin").getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .as("the first admin, created at start-up").contains("ROLE_ADMIN");

        users.createUser(User.withUsername("pg-user").password(encoder.encode("pg-password-1")).roles("USER").build());
        assertThat(users.userExists("pg-user")).isTrue();
        assertThat(access.active("pg-user")).isTrue();
        UserDetails u = users.loadUserByUsername("pg-user");
        assertThat(u.isEnabled()).isTrue();
        assertThat(u.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_USER");

        passwords.change("pg-user", "pg-password-1", "pg-password-22", "pg-password-22");
        assertThat(encoder.matches("pg-password-22", users.loadUserByUsername("pg-user").getPassword())).isTrue();
        assertThat(audit.recent("user pg-user", 10)).anyMatch(a -> a.action().equals("password changed"));

        users.updateUser(User.withUserDetails(users.loadUserByUsername("pg-user")).disabled(true)
                .authorities("ROLE_USER", "ROLE_ADMIN").build());
        UserDetails changed = users.loadUserByUsername("pg-user");
        assertThat(changed.isEnabled()).isFalse();
        assertThat(changed.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_USER", "ROLE_ADMIN");
        assertThat(access.active("pg-user")).as("a disabled user").isFalse();

        // the schema's constraints: one row per authority, none for a user that does not exist
        assertThatThrownBy(() -> jdbc.sql("insert into authorities (username, authority) values (?, ?)")
                .params("pg-user", "ROLE_USER").update()).isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> jdbc.sql("insert into authorities (username, authority) values (?, ?)")
                .params("nobody-" + UUID.randomUUID(), "ROLE_USER").update())
                .isInstanceOf(DataIntegrityViolationException.class);

        users.deleteUser("pg-user");
        assertThat(users.userExists("pg-user")).isFalse();
        assertThat(access.active("pg-user")).isFalse();
        assertThat(jdbc.sql("select count(*) from authorities where username = ?").param("pg-user").query(Long.class)
                .single()).isZero();
    }

    @Test
    void theAuditTrailRoundTripsWithTheEnvironmentsHistory() {
        audit.record("pg-admin", "user created", "user Pg-Zed", "role USER");
        for (int i = 1; i <= 3; i++) {
            audit.record("pg-admin", "user disabled", "user pg-limit-" + i, null);
        }
        assertThat(audit.recent("PG-ZED", 10)).as("filtered in any case").singleElement().satisfies(a -> {
            assertThat(a.actor()).isEqualTo("pg-admin");
            assertThat(a.action()).isEqualTo("user created");
            assertThat(a.subject()).isEqualTo("user Pg-Zed");
            assertThat(a.detail()).isEqualTo("role USER");
            assertThat(a.at()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        });
        // lower() folds more than ASCII only where the database's LC_CTYPE is a UTF-8 locale (README: PostgreSQL)
        audit.record("pg-admin", "user created", "user Zoë-Ünal", null);
        assertThat(audit.recent("ZOË-ÜNAL", 10)).extracting(AuditLog.Entry::subject).containsExactly("user Zoë-Ünal");
        List<AuditLog.Entry> limited = audit.recent("pg-limit", 2);
        assertThat(limited).as("the newest two").hasSize(2);
        assertThat(limited.get(0).at()).isAfterOrEqualTo(limited.get(1).at());

        // an environment's life as the orchestrator stores it, read back through the orchestrator and the audit trail
        String id = UUID.randomUUID().toString();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(30);
        EnvironmentSpec spec = EnvironmentSpec.builder().name("pg-audited").image("debian-shell")
                .resources(new Resources(1, 256, null, null)).build();
        jdbc.sql("""
                insert into genos_environment (id, owner, name, active_name, image_id, kind, state, state_reason,
                    progress, display_port, spec_json, warnings_json, created_at, updated_at)
                values (?, 'pg-owner', 'pg-audited', null, 'debian-shell', 'container', 'DESTROYED', 'destroyed by admin',
                    100, 0, ?, '[]', ?, ?)""")
                .params(id, JsonMapper.builder().build().writeValueAsString(spec), ts(t0), ts(t0.plusSeconds(2)))
                .update();
        jdbc.sql("""
                insert into genos_environment_event (environment_id, occurred_at, actor, from_state, to_state, reason)
                values (?, ?, 'pg-owner', null, 'REQUESTED', 'requested by pg-owner'),
                       (?, ?, 'admin', 'REQUESTED', 'DESTROYED', 'destroyed by admin')""")
                .params(id, ts(t0), id, ts(t0.plusSeconds(2))).update();

        Environment back = environments.find(id).orElseThrow();
        assertThat(back.state()).isEqualTo(EnvironmentState.DESTROYED);
        assertThat(back.spec()).isEqualTo(spec);
        assertThat(back.createdAt()).isEqualTo(t0);
        assertThat(environments.listAll()).extracting(Environment::id).contains(id);
        assertThat(environments.history(id)).extracting(EnvironmentEvent::to)
                .containsExactly(EnvironmentState.REQUESTED, EnvironmentState.DESTROYED);
        assertThat(audit.recent("pg-audited", 10)).extracting(AuditLog.Entry::action, AuditLog.Entry::subject)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("requested → destroyed", "environment pg-audited (pg-owner)"),
                        org.assertj.core.groups.Tuple.tuple("requested", "environment pg-audited (pg-owner)"));
    }

    @Test
    void registeredImagesRoundTrip() {
        ImageForm form = new ImageForm(Kind.CONTAINER, "pg-ubuntu", "linux", "ubuntu", "24.04", Desktop.XFCE,
                Protocol.VNC, "registry.example.org/team/ubuntu:24.04", null, null, 2, 2048, 20,
                "registered on PostgreSQL");
        CatalogImage image = images.register(form, "pg-admin");
        ImageRegistry.Registered stored = images.find("pg-ubuntu").orElseThrow();
        assertThat(stored.image()).isEqualTo(image);
        assertThat(stored.registeredBy()).isEqualTo("pg-admin");
        assertThat(stored.registeredAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(images.current().find("pg-ubuntu")).contains(image);
        assertThatThrownBy(() -> images.register(form, "pg-admin")).isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("already an image pg-ubuntu");

        images.remove("pg-ubuntu", "pg-admin");
        assertThat(images.find("pg-ubuntu")).isEmpty();
        assertThat(images.current().find("pg-ubuntu")).isEmpty();
        assertThat(images.audit()).filteredOn(a -> a.imageId().equals("pg-ubuntu"))
                .extracting(ImageRegistry.AuditEntry::action).containsExactly("removed", "registered");
        assertThat(audit.recent("pg-ubuntu", 10)).extracting(AuditLog.Entry::action)
                .contains("image registered", "image removed");
    }

    @Test
    void apiTokensRoundTrip() {
        if (!users.userExists("pg-token-owner")) {
            users.createUser(org.springframework.security.core.userdetails.User.withUsername("pg-token-owner")
                    .password(encoder.encode("pg-token-pass-1")).roles("USER").build());
        }
        var made = tokens.create("pg-token-owner", "on PostgreSQL", java.time.Duration.ofDays(2));
        assertThat(tokens.authenticate(made.token())).get()
                .satisfies(b -> assertThat(b.owner()).isEqualTo("pg-token-owner"));
        assertThat(tokens.list("pg-token-owner")).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("on PostgreSQL");
            assertThat(t.lastUsedAt()).isNotNull();
            assertThat(t.expiresAt()).isBetween(Instant.now().plus(java.time.Duration.ofDays(2)).minusSeconds(60),
                    Instant.now().plus(java.time.Duration.ofDays(2)));
        });
        assertThat(tokens.revoke(made.listed().id(), "pg-token-owner", false)).isTrue();
        assertThat(tokens.authenticate(made.token())).isEmpty();
    }

    private static Set<String> migrationVersions() throws java.io.IOException {
        Resource[] scripts = new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*__*.sql");
        return Arrays.stream(scripts).map(Resource::getFilename)
                .map(f -> f.substring(1, f.indexOf("__")).replace('_', '.')).collect(Collectors.toSet());
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
