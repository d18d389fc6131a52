package io.genos.portal.security.sso;

import io.genos.portal.audit.AuditLog;
import io.genos.portal.security.ExternalUsers;
import io.genos.portal.security.UserAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.OAuth2RefreshTokenGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The browser sessions signed in through Keycloak, each checked against Keycloak every {@code genos.sso.check-interval}
 * with a refresh-token grant (the session's own refresh token). Keycloak refuses it ({@code invalid_grant}) once the user
 * is disabled ("User disabled") or their Keycloak session ended (signed out elsewhere, ended by an admin, expired); then
 * the user loses GenOS through {@link UserAccess#revoke}: every HTTP session of theirs ends and their display tunnels and
 * terminals close, and until they sign in again {@link #active} says no (so no new tunnel is opened meanwhile). The
 * same happens when the refreshed ID token no longer gives them a role their session has (genos-user or genos-admin
 * taken away). When
 * Keycloak cannot be reached, nothing is revoked (said in the log once per outage). Token introspection would not do:
 * Keycloak 26 refuses to introspect the portal's access tokens (the client is not their audience), and a refresh grant
 * also keeps the Keycloak session alive while the GenOS session lives.
 */
@Component
@Profile("keycloak")
public class SsoSessions implements ExternalUsers {
    private static final Logger log = LoggerFactory.getLogger(SsoSessions.class);
    /** The session attribute that holds a session's Keycloak tokens. */
    static final String ATTRIBUTE = SsoSessions.class.getName() + ".TOKENS";
    /** Most user names remembered as refused (the oldest go first). */
    static final int MAX_REFUSED = 10_000;
    /** Checks running against Keycloak at once. */
    private static final int PARALLEL = 8;

    /** One browser session signed in through Keycloak, as an admin or a test sees it. */
    public record SignedIn(String username, List<String> authorities, Instant since, Instant lastChecked) {}

    /** A session's Keycloak tokens; bound to the HTTP session, so it is checked exactly while that session lives. */
    final class Tokens implements HttpSessionBindingListener {
        final String username;
        final List<String> authorities;
        final Instant since;
        volatile OAuth2AccessToken accessToken;
        volatile OAuth2RefreshToken refreshToken;
        volatile Instant lastChecked;

        Tokens(String username, List<String> authorities, OAuth2AccessToken accessToken,
                OAuth2RefreshToken refreshToken) {
            this.username = username;
            this.authorities = List.copyOf(authorities);
            this.since = clock.instant();
            this.accessToken = accessToken;
            this.refreshToken = refreshToken;
        }

        @Override
        public void valueBound(HttpSessionBindingEvent event) {
            open.add(this);
        }

        @Override
        public void valueUnbound(HttpSessionBindingEvent event) {
            open.remove(this);
        }
    }

    private final Set<Tokens> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> refused = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_REFUSED;
        }
    };
    private final ClientRegistrationRepository registrations;
    private final UserAccess access;
    private final AuditLog audit;
    private final SsoProperties properties;
    private final RestClientRefreshTokenTokenResponseClient tokenClient = new RestClientRefreshTokenTokenResponseClient();
    private final OidcIdTokenDecoderFactory idTokens = new OidcIdTokenDecoderFactory();
    private final Clock clock = Clock.systemUTC();
    private volatile String unreachable;

    public SsoSessions(ClientRegistrationRepository registrations, UserAccess access, AuditLog audit,
            SsoProperties properties) {
        this.registrations = registrations;
        this.access = access;
        this.audit = audit;
        this.properties = properties;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).build());
        requests.setReadTimeout(Duration.ofSeconds(10));
        // as Spring Security's own token client, with timeouts: a check never hangs on a Keycloak that does not answer
        tokenClient.setRestClient(RestClient.builder().requestFactory(requests).messageConverters(c -> {
            c.clear();
            c.add(new FormHttpMessageConverter());
            c.add(new StringHttpMessageConverter());
            c.add(new OAuth2AccessTokenResponseHttpMessageConverter());
        }).defaultStatusHandler(new OAuth2ErrorResponseErrorHandler()).build());
    }

    /** A sign-in through Keycloak succeeded: audited like a local one, and its session is checked from now on. */
    void signedIn(HttpServletRequest request, OAuth2AuthenticationToken authentication, OAuth2AuthorizedClient client) {
        String name = authentication.getName();
        synchronized (refused) {
            refused.remove(name);
        }
        List<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        if (client.getRefreshToken() == null) {
            log.warn("Keycloak gave {} no refresh token: their session cannot be checked (enable refresh tokens for "
                    + "the client {})", name, properties.clientId());
        } else {
            // replacing an earlier sign-in of the same browser session unbinds (and forgets) that one
            request.getSession().setAttribute(ATTRIBUTE, new Tokens(name, authorities, client.getAccessToken(),
                    client.getRefreshToken()));
        }
        audit.record(name, "signed in", "user " + name, "from " + request.getRemoteAddr() + " through Keycloak (realm "
                + properties.realm() + "; " + String.join(", ", authorities) + ")");
    }

    /** Not while Keycloak's last word on the user was a refusal (until they sign in again). */
    @Override
    public boolean active(String username) {
        synchronized (refused) {
            return !refused.containsKey(username);
        }
    }

    /** The roles and groups of the user's most recently checked session. */
    @Override
    public java.util.Optional<List<String>> authorities(String username) {
        return signedIn().stream().filter(s -> s.username().equals(username))
                .max(java.util.Comparator.comparing(SignedIn::lastChecked, java.util.Comparator.nullsFirst(
                        java.util.Comparator.naturalOrder())))
                .map(SignedIn::authorities);
    }

    /** The signed-in sessions, oldest first. */
    public List<SignedIn> signedIn() {
        return open.stream().sorted(Comparator.comparing(t -> t.since))
                .map(t -> new SignedIn(t.username, t.authorities, t.since, t.lastChecked)).toList();
    }

    /** Checks every signed-in session against Keycloak, a few at a time. */
    @Scheduled(fixedDelayString = "${genos.sso.check-interval:PT20S}", initialDelayString = "${genos.sso.check-interval:PT20S}")
    public void checkAll() {
        List<Tokens> now = List.copyOf(open);
        if (now.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        ClientRegistration registration = registrations.findByRegistrationId(SsoProperties.REGISTRATION);
        Semaphore permits = new Semaphore(PARALLEL);
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Tokens t : now) {
                checks.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        check(registration, t);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        log.debug("checked {} signed-in session(s) against Keycloak in {} ms", now.size(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void check(ClientRegistration registration, Tokens t) {
        if (!open.contains(t)) {
            return; // signed out or revoked meanwhile
        }
        try {
            OAuth2AccessTokenResponse answer = tokenClient.getTokenResponse(
                    new OAuth2RefreshTokenGrantRequest(registration, t.accessToken, t.refreshToken));
            t.accessToken = answer.getAccessToken();
            if (answer.getRefreshToken() != null) {
                t.refreshToken = answer.getRefreshToken();
            }
            String lost = lostRoles(registration, t, answer);
            if (lost != null) {
                refuse(t, lost);
                return;
            }
            t.lastChecked = clock.instant();
            if (unreachable != null) {
                log.info("Keycloak answers again: signed-in sessions are checked again");
                unreachable = null;
            }
        } catch (OAuth2AuthorizationException e) {
            if (OAuth2ErrorCodes.INVALID_GRANT.equals(e.getError().getErrorCode())) {
                refuse(t, e.getError().getDescription());
            } else {
                cannotCheck(e.getError().getErrorCode() + ": " + e.getError().getDescription());
            }
        } catch (RuntimeException e) {
            cannotCheck(e.toString());
        }
    }

    /**
     * What the session lost if the refreshed ID token (signature, issuer, audience and expiry checked) no longer gives
     * the user a role the session has (genos-admin or genos-user taken away in Keycloak), else null. Roles and groups
     * that were added count at the next sign-in.
     */
    private String lostRoles(ClientRegistration registration, Tokens t, OAuth2AccessTokenResponse answer) {
        if (!(answer.getAdditionalParameters().get(OidcParameterNames.ID_TOKEN) instanceof String idToken)) {
            return null;
        }
        Jwt token = idTokens.createDecoder(registration).decode(idToken);
        if (!token.hasClaim("realm_access")) {
            return null; // a realm that maps the roles into user info only: the ID token cannot tell
        }
        List<String> now = KeycloakUsers.authorities(token.getClaims(), properties.userRole(), properties.adminRole());
        return lostRoles(t.authorities, now);
    }

    /** The roles (ROLE_*) the session had that the user no longer has, as a sentence, or null. */
    static String lostRoles(List<String> had, List<String> now) {
        List<String> lost = had.stream().filter(a -> a.startsWith("ROLE_") && !now.contains(a)).toList();
        return lost.isEmpty() ? null : "Keycloak no longer gives them " + String.join(", ", lost);
    }

    /** Keycloak no longer vouches for the session: the user loses GenOS now. */
    private void refuse(Tokens t, String why) {
        boolean first;
        synchronized (refused) {
            first = refused.put(t.username, clock.instant()) == null;
        }
        open.remove(t);
        int ended = access.revoke(t.username);
        if (first) {
            String reason = why == null || why.isBlank() ? "its session was refused" : why;
            log.info("Keycloak refused the session of {} ({}): access revoked", t.username, reason);
            audit.record("keycloak", "access revoked", "user " + t.username, "Keycloak refused their session ("
                    + reason + "); " + ended + " session(s), tunnel(s) and terminal(s) ended");
        }
    }

    private void cannotCheck(String why) {
        if (unreachable == null) {
            log.warn("Cannot check signed-in sessions against Keycloak at {} ({}); nobody is signed out meanwhile",
                    properties.url(), why);
        }
        unreachable = why;
    }
}
