package io.genos.portal.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Local users in the embedded database, form login through the Vaadin login view (the default; with profile
 * {@code keycloak} the browser signs in through Keycloak instead: {@code sso.SsoSecurityConfig}).
 */
@Configuration
@EnableWebSecurity
class SecurityConfig {

    /** The Content-Security-Policy of every page. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    @Profile("!keycloak")
    SecurityFilterChain securityFilterChain(HttpSecurity http, UserAccess access) throws Exception {
        PortalRequests.apply(http, access);
        return http.with(VaadinSecurityConfigurer.vaadin(), c -> c.loginView(LoginView.class)).build();
    }

    /** The password check behind the sign-in form: throttled, locked after repeated failures, audited. */
    @Bean
    @Profile("!keycloak")
    org.springframework.security.authentication.AuthenticationProvider signIn(SignInGuard guard,
            JdbcUserDetailsManager users, PasswordEncoder encoder) {
        return guard.provider(users, encoder);
    }

    /**
     * Every response, whether Spring Security's chain sees it or not (Vaadin serves its login page and bundles outside
     * it): what a page may load (Vaadin's bootstrap and the Lit templates need inline scripts and styles; the display
     * draws from blob: and data: images), never framed by another site, no MIME sniffing, no referrer beyond this
     * origin; HSTS on requests that came over TLS.
     */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<org.springframework.web.filter.OncePerRequestFilter>
            securityHeaders() {
        var filter = new org.springframework.web.filter.OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request,
                    jakarta.servlet.http.HttpServletResponse response, jakarta.servlet.FilterChain chain)
                    throws jakarta.servlet.ServletException, java.io.IOException {
                response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                response.setHeader("X-Frame-Options", "DENY");
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Referrer-Policy", "same-origin");
                if (request.isSecure()) {
                    // over TLS (directly, or from a proxy whose X-Forwarded-Proto the portal trusts): HTTPS only
                    response.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
                }
                chain.doFilter(request, response);
            }
        };
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<
                org.springframework.web.filter.OncePerRequestFilter>(filter);
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    JdbcUserDetailsManager userDetailsManager(DataSource dataSource) {
        return new JdbcUserDetailsManager(dataSource);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
