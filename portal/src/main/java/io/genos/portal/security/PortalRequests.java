package io.genos.portal.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The rules every browser security chain of the portal has, whichever way people sign in (local users:
 * {@code SecurityConfig}; Keycloak: {@code sso.SsoSecurityConfig}).
 */
public final class PortalRequests {

    private PortalRequests() {}

    public static void apply(HttpSecurity http, UserAccess access) {
        // Vaadin denies every path that is not a view; the display scripts and the tunnel are for signed-in users
        // (the tunnel and the terminal then check owner-or-admin per environment); xterm.js comes from /webjars.
        // health and metrics are for scrapers, without sign-in (no tenant data in them; see application.properties)
        http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**",
                "/actuator/prometheus").permitAll());
        http.authorizeHttpRequests(a -> a.requestMatchers("/guacamole/**", "/genos/**", "/webjars/**", "/tunnel",
                "/terminal").authenticated());
        // a session whose user was disabled or deleted meanwhile is signed out at its next request
        http.addFilterAfter(access.filter(), AnonymousAuthenticationFilter.class);
    }
}
