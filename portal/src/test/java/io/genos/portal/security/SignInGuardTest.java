package io.genos.portal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.portal.PortalProperties;
import io.genos.portal.audit.AuditLog;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Password spraying (one password tried on many names) from one address: each name stays under its own limit, but
 * the address is blocked once it reaches the per-address limit, the right password of a real user included; another
 * address is not (the positive control), and the block is audited.
 */
class SignInGuardTest {

    private AuditLog audit;
    private JdbcClient jdbc;
    private AuthenticationProvider provider;

    @BeforeEach
    void setUp() {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:guard-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V120__audit.sql")).execute(ds);
        jdbc = JdbcClient.create(ds);
        audit = new AuditLog(jdbc);
        var encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        var users = new InMemoryUserDetailsManager(
                User.withUsername("rita").password(encoder.encode("rita-pass-1")).roles("USER").build());
        provider = new SignInGuard(audit, new PortalProperties.SignIn(3, Duration.ofMinutes(15), Duration.ofMinutes(15), 6)).provider(users, encoder);
    }

    @AfterEach
    void tearDown() {
        RequestContextHolder.resetRequestAttributes();
    }

    private void from(String address) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr(address);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    private java.util.List<String> audited(String action) {
        return jdbc.sql("select subject from genos_audit where action = ?").param(action).query(String.class).list();
    }

    private void attempt(String name, String password) {
        provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(name, password));
    }

    @Test
    void oneAddressTryingManyNamesIsBlockedAnotherIsNot() {
        from("203.0.113.7");
        for (int i = 0; i < 6; i++) {
            String name = "user" + i;
            assertThatThrownBy(() -> attempt(name, "Summer2026!")).isInstanceOf(BadCredentialsException.class);
        }
        assertThatThrownBy(() -> attempt("rita", "rita-pass-1")).isInstanceOf(LockedException.class)
                .hasMessageContaining("your address");
        assertThat(audited("address blocked")).containsExactly("address 203.0.113.7");

        from("198.51.100.2");
        attempt("rita", "rita-pass-1"); // signs in: the block is per address, and rita's own count is untouched
        assertThat(audited("signed in")).containsExactly("user rita");
    }

    @Test
    void theLimitPerAddressCannotBeBelowTheLimitPerName() {
        assertThatThrownBy(() -> new PortalProperties.SignIn(5, Duration.ofMinutes(1), Duration.ofMinutes(1), 4))
                .hasMessageContaining("max-failures-per-address");
    }
}
