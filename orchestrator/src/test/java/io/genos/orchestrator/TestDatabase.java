package io.genos.orchestrator;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** An H2 database migrated with the module's Flyway scripts, for tests without Spring Boot. */
final class TestDatabase {
    private TestDatabase() {}

    static DataSource migrated(String url) {
        DriverManagerDataSource ds = new DriverManagerDataSource(url, "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    static DataSource inMemory(String name) {
        return migrated("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }
}
