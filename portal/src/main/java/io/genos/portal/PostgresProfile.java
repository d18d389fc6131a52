package io.genos.portal;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The profile {@code postgres} (application-postgres.properties): the database is a PostgreSQL server named by
 * {@code GENOS_DB_URL}. Checked before anything connects: a missing URL would otherwise surface as Hikari's
 * "'url' must start with jdbc" (Spring Boot leaves an unresolved {@code ${GENOS_DB_URL}} as it is), and an H2 URL
 * would quietly keep the embedded database.
 */
@Configuration(proxyBeanMethods = false)
@Profile("postgres")
class PostgresProfile {

    @Bean
    static BeanFactoryPostProcessor postgresDatabaseIsGiven(Environment env) {
        return factory -> check(env);
    }

    /** @throws IllegalStateException naming GENOS_DB_URL when the data source is not a PostgreSQL URL */
    static void check(Environment env) {
        String url;
        try {
            url = env.getProperty("spring.datasource.url");
        } catch (IllegalArgumentException unresolved) { // ${GENOS_DB_URL} with nothing behind it
            url = null;
        }
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("The profile postgres needs the PostgreSQL database in GENOS_DB_URL, e.g. "
                    + "GENOS_DB_URL=jdbc:postgresql://localhost:5432/genos (with GENOS_DB_USER and GENOS_DB_PASSWORD); "
                    + "spring.datasource.url is " + (url == null || url.isBlank() || url.contains("${")
                            ? "not set" : url.replaceAll("[?;].*", "")) + ".");
        }
    }
}
