package io.genos.portal.support;

import io.genos.testsupport.PrivatePostgres;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Which database the portal's Spring tests run on, chosen for the whole test JVM without touching any test:
 * {@code -Dgenos.test.database=postgres} (the failsafe execution {@code postgres-its} sets it) or
 * {@code @SpringBootTest(properties = "genos.test.database=postgres")}; {@code h2} or nothing keeps the embedded H2 under
 * each test's {@code genos.home}, as before.
 *
 * <p>On PostgreSQL every Spring context (each {@code SpringApplication} run) gets a fresh database of its own on the
 * one private server of this JVM ({@link PrivatePostgres#shared()}), and runs as the portal does in production with
 * PostgreSQL: the profile {@code postgres} with {@code GENOS_DB_URL}, {@code GENOS_DB_USER} and
 * {@code GENOS_DB_PASSWORD} (application-postgres.properties); nothing else changes. Once the context is up it checks
 * that its DataSource really is that PostgreSQL database and that every migration is applied (orchestrator's and
 * portal's): a test cannot pass on H2 by mistake.
 *
 * <p>Registered twice in {@code META-INF/spring.factories} (test classpath only): as an
 * {@link EnvironmentPostProcessor}, ordered before Spring Boot reads the configuration files (so that the profile's
 * file is read), and as an {@link ApplicationContextInitializer}, which adds the check.
 */
public final class TestDatabases
        implements EnvironmentPostProcessor, ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {
    /** {@code h2} (the default) or {@code postgres}. */
    public static final String PROPERTY = "genos.test.database";
    /** The JDBC URL of the database a context was given (set on PostgreSQL only). */
    public static final String URL_PROPERTY = "genos.test.database-url";
    private static final Logger log = LoggerFactory.getLogger(TestDatabases.class);
    private static final List<String> KNOWN = List.of("h2", "postgres");

    /** Whether {@code env} asks for PostgreSQL; refuses what is neither h2 nor postgres. */
    public static boolean postgres(Environment env) {
        String wanted = env.getProperty(PROPERTY, "h2").strip().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            wanted = "h2";
        }
        if (!KNOWN.contains(wanted)) {
            throw new IllegalArgumentException(PROPERTY + " must be one of " + KNOWN + ", was \"" + wanted + "\"");
        }
        return wanted.equals("postgres");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // before ConfigDataEnvironmentPostProcessor reads application-postgres
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!postgres(environment)) {
            return;
        }
        PrivatePostgres server = PrivatePostgres.shared();
        String url = server.jdbcUrl(server.createDatabase("portal"));
        environment.getPropertySources().addFirst(new MapPropertySource("genos test database", Map.of(
                "GENOS_DB_URL", url, "GENOS_DB_USER", server.user(), "GENOS_DB_PASSWORD", server.password(),
                URL_PROPERTY, url)));
        environment.addActiveProfile("postgres");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if (!postgres(env)) {
            return;
        }
        String url = env.getProperty(URL_PROPERTY);
        if (url == null) {
            throw new IllegalStateException(PROPERTY + "=postgres, but no test database was made for this context: "
                    + "is " + TestDatabases.class.getName() + " registered as an " + EnvironmentPostProcessor.class.getName()
                    + " in META-INF/spring.factories?");
        }
        log.info("this test context runs on PostgreSQL: {} (profiles {})", url,
                Arrays.toString(env.getActiveProfiles()));
        context.addApplicationListener(event -> {
            if (event instanceof ContextRefreshedEvent refreshed && refreshed.getApplicationContext() == context) {
                check(context, url);
            }
        });
    }

    /** The context's database is the PostgreSQL one it was given, with every migration applied. */
    static void check(ConfigurableApplicationContext context, String url) {
        try (Connection c = context.getBean(DataSource.class).getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            if (!"PostgreSQL".equals(md.getDatabaseProductName()) || !md.getURL().startsWith(url)) {
                throw new IllegalStateException(PROPERTY + "=postgres, but this context's database is "
                        + md.getDatabaseProductName() + " at " + md.getURL() + " instead of " + url);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach this context's database " + url, e);
        }
        MigrationInfoService info = context.getBean(Flyway.class).info();
        if (info.pending().length > 0) {
            throw new IllegalStateException("migrations not applied on " + url + ": "
                    + Arrays.stream(info.pending()).map(m -> m.getVersion() + " " + m.getDescription()).toList());
        }
        MigrationInfo[] applied = info.applied();
        boolean orchestrator = Arrays.stream(applied).anyMatch(m -> m.getVersion() != null
                && m.getVersion().isNewerThan("0") && !m.getVersion().isAtLeast("100"));
        boolean portal = Arrays.stream(applied).anyMatch(m -> m.getVersion() != null && m.getVersion().isAtLeast("100"));
        if (!orchestrator || !portal || Arrays.stream(applied).anyMatch(m -> !m.getState().isApplied()
                || m.getState().isFailed())) {
            throw new IllegalStateException("the migrations on " + url + " are not all applied: "
                    + Arrays.stream(info.all()).map(m -> m.getVersion() + " " + m.getState()).toList());
        }
    }
}
