package io.genos.portal.security.sso;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.genos.portal.audit.AuditLog;
import io.genos.portal.security.PortalRequests;
import io.genos.portal.security.UserAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.util.HtmlUtils;

/**
 * Profile {@code keycloak}: the browser chain signs in through Keycloak instead of the local form (which
 * {@code SecurityConfig} keeps for the default profile). Everything else about the chain is the portal's usual one
 * ({@link PortalRequests}); signing out ends the Keycloak session too (OIDC RP-initiated logout, back to the portal's
 * start page, which then shows Keycloak's sign-in page).
 */
@Configuration
@Profile("keycloak")
@EnableConfigurationProperties(SsoProperties.class)
class SsoSecurityConfig {
    private static final Logger log = LoggerFactory.getLogger(SsoSecurityConfig.class);
    static final String LOGIN = "/oauth2/authorization/" + SsoProperties.REGISTRATION;

    @Bean
    SecurityFilterChain ssoFilterChain(HttpSecurity http, UserAccess access, SsoProperties properties,
            AuthenticationFailureHandler ssoFailure) throws Exception {
        PortalRequests.apply(http, access);
        // the login page here too, not only in Vaadin's configurer: this configurer's init runs first, and without
        // one Spring Security would serve its own "Login with OAuth 2.0" page at /login instead of the LoginView
        http.oauth2Login(o -> o.loginPage(LOGIN).userInfoEndpoint(u -> u.oidcUserService(new KeycloakUsers(properties)))
                .failureHandler(ssoFailure));
        // {baseUrl}/ must be one of the client's post-logout redirect URIs in Keycloak
        return http.with(VaadinSecurityConfigurer.vaadin(), c -> c.oauth2LoginPage(LOGIN, "{baseUrl}/")).build();
    }

    /** The realm's client, from its OpenID configuration; a clear reason when Keycloak is not there (see below). */
    @Bean
    ClientRegistrationRepository clientRegistrationRepository(SsoProperties properties) {
        return new InMemoryClientRegistrationRepository(KeycloakDiscovery.registration(properties));
    }

    /**
     * Tokens live in the HTTP session, so they end with it (no map of every user's tokens); a sign-in hands the
     * session's tokens to {@link SsoSessions}, which checks them against Keycloak from then on.
     */
    @Bean
    OAuth2AuthorizedClientRepository authorizedClientRepository(SsoSessions sessions) {
        HttpSessionOAuth2AuthorizedClientRepository inSession = new HttpSessionOAuth2AuthorizedClientRepository();
        return new OAuth2AuthorizedClientRepository() {
            @Override
            public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String registrationId,
                    Authentication principal, HttpServletRequest request) {
                return inSession.loadAuthorizedClient(registrationId, principal, request);
            }

            @Override
            public void saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal,
                    HttpServletRequest request, HttpServletResponse response) {
                inSession.saveAuthorizedClient(client, principal, request, response);
                if (principal instanceof OAuth2AuthenticationToken signedIn) {
                    sessions.signedIn(request, signedIn, client);
                }
            }

            @Override
            public void removeAuthorizedClient(String registrationId, Authentication principal,
                    HttpServletRequest request, HttpServletResponse response) {
                inSession.removeAuthorizedClient(registrationId, principal, request, response);
            }
        };
    }

    /**
     * A failed or refused sign-in: audited, and said on a page of its own (the default, back to the sign-in URL, would
     * send a refused user round Keycloak and back for ever, Keycloak's session being alive).
     */
    @Bean
    AuthenticationFailureHandler ssoFailure(AuditLog audit, ClientRegistrationRepository registrations) {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) -> {
            String who = exception instanceof KeycloakUsers.Refused r ? r.username() : "unknown";
            String why = exception instanceof OAuth2AuthenticationException o && o.getError().getDescription() != null
                    ? o.getError().getDescription() : exception.getMessage();
            boolean refused = exception instanceof KeycloakUsers.Refused;
            audit.record(who, refused ? "sign-in refused" : "sign-in failed", "user " + who, why + ", from "
                    + request.getRemoteAddr() + " through Keycloak");
            if (!refused) {
                log.warn("Sign-in through Keycloak failed: {}", exception.toString());
            }
            respond(request, response, refused, why, registrations);
        };
    }

    private static void respond(HttpServletRequest request, HttpServletResponse response, boolean refused, String why,
            ClientRegistrationRepository registrations) throws IOException {
        String base = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + request.getContextPath();
        ClientRegistration keycloak = registrations.findByRegistrationId(SsoProperties.REGISTRATION);
        Object endSession = keycloak.getProviderDetails().getConfigurationMetadata().get("end_session_endpoint");
        String signOut = endSession == null ? null : endSession + "?client_id=" + enc(keycloak.getClientId())
                + "&post_logout_redirect_uri=" + enc(base + "/");
        response.setStatus(refused ? HttpServletResponse.SC_FORBIDDEN : HttpServletResponse.SC_BAD_GATEWAY);
        response.setContentType("text/html;charset=UTF-8");
        StringBuilder page = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Sign-in refused · GenOS</title></head><body style=\"font-family:sans-serif;margin:3em\">"
                + "<h1>GenOS</h1><p id=\"sso-error\">");
        page.append(refused ? "You are signed in to Keycloak, but GenOS does not let you in: "
                : "Signing in through Keycloak failed: ").append(HtmlUtils.htmlEscape(why == null ? "" : why))
                .append("</p>");
        if (signOut != null) {
            page.append("<p><a id=\"sso-sign-out\" href=\"").append(HtmlUtils.htmlEscape(signOut))
                    .append("\">Sign out of Keycloak</a> to sign in as someone else.</p>");
        }
        page.append("<p><a id=\"sso-retry\" href=\"").append(HtmlUtils.htmlEscape(base + "/"))
                .append("\">Try again</a></p></body></html>");
        response.getWriter().write(page.toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
