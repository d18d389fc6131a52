package io.genos.portal.security;

import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Creates the first admin when there are no users at all: with the password from {@code GENOS_ADMIN_PASSWORD}, or a
 * generated one that is printed once, here, and never stored in clear.
 */
@Component
@org.springframework.context.annotation.Profile("!keycloak") // with Keycloak, admins are Keycloak's genos-admin
class FirstAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final JdbcUserDetailsManager users;
    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final String username;
    private final String password;

    FirstAdmin(JdbcUserDetailsManager users, JdbcClient jdbc, PasswordEncoder encoder,
            io.genos.portal.PortalProperties settings) {
        this.users = users;
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.username = settings.adminUsername();
        this.password = settings.adminPassword();
    }

    @Override
    public void run(ApplicationArguments args) {
        long count = jdbc.sql("select count(*) from users").query(Long.class).single();
        if (count > 0) {
            return;
        }
        boolean generated = password == null || password.isBlank();
        String secret = generated ? generate() : password;
        users.createUser(User.withUsername(username).password(encoder.encode(secret)).roles("ADMIN", "USER").build());
        if (generated) {
            String banner = "\n==================================================================\n"
                    + " GenOS first start: sign in as '" + username + "' with password\n\n"
                    + "     " + secret + "\n\n"
                    + " It is shown this once. Set GENOS_ADMIN_PASSWORD to choose it.\n"
                    + "==================================================================\n";
            System.out.println(banner);
        } else {
            log.info("Created the first admin '{}' with the password from GENOS_ADMIN_PASSWORD", username);
        }
    }

    private static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
