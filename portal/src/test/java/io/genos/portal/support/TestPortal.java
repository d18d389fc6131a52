package io.genos.portal.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;

/** What every portal integration test sets up: its own GENOS_HOME and a few local users. */
public final class TestPortal {

    private TestPortal() {}

    public static Path tempHome(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a plain user (role USER) unless it exists. */
    public static void ensureUser(JdbcUserDetailsManager users, PasswordEncoder encoder, String name, String password) {
        if (!users.userExists(name)) {
            users.createUser(User.withUsername(name).password(encoder.encode(password)).roles("USER").build());
        }
    }
}
