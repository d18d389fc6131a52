package io.genos.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The profile postgres: its settings come from GENOS_DB_*, and a start without a PostgreSQL URL is refused clearly. */
class PostgresProfileTest {

    /** The environment of a start with the profile postgres and these variables. */
    private static StandardEnvironment withProfile(Map<String, Object> variables) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        new PropertiesPropertySourceLoader().load("application-postgres",
                new ClassPathResource("application-postgres.properties")).forEach(env.getPropertySources()::addLast);
        return env;
    }

    @Test
    void takesTheDatabaseFromTheEnvironmentVariables() throws IOException {
        StandardEnvironment env = withProfile(Map.of("GENOS_DB_URL", "jdbc:postgresql://db.example.org:5432/genos",
                "GENOS_DB_USER", "portal", "GENOS_DB_PASSWORD", "s3cret"));
        assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.example.org:5432/genos");
        assertThat(env.getProperty("spring.datasource.username")).isEqualTo("portal");
        assertThat(env.getProperty("spring.datasource.password")).isEqualTo("s3cret");
        PostgresProfile.check(env);

        StandardEnvironment defaults = withProfile(Map.of("GENOS_DB_URL", "jdbc:postgresql://localhost/genos"));
        assertThat(defaults.getProperty("spring.datasource.username")).isEqualTo("genos");
        assertThat(defaults.getProperty("spring.datasource.password")).isEmpty();
    }

    @Test
    void refusesToStartWithoutAPostgresqlUrlNamingTheVariable() throws IOException {
        assertThatThrownBy(() -> PostgresProfile.check(withProfile(Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GENOS_DB_URL")
                .hasMessageContaining("spring.datasource.url is not set");
        assertThatThrownBy(() -> PostgresProfile.check(withProfile(Map.of("GENOS_DB_URL",
                "jdbc:h2:file:/var/lib/genos/db/genos;WRITE_DELAY=0"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GENOS_DB_URL")
                .hasMessageEndingWith("spring.datasource.url is jdbc:h2:file:/var/lib/genos/db/genos.");
    }
}
