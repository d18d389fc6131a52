package io.genos.portal.security.sso;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code genos.sso.*} (profile keycloak; application-keycloak.properties reads them from {@code GENOS_KEYCLOAK_*}).
 *
 * @param url Keycloak's base URL as the portal and the browsers reach it, e.g. {@code https://sso.example.org}
 * @param realm the realm ({@code genos})
 * @param clientId the portal's confidential client ({@code genos-portal})
 * @param clientSecret its secret
 * @param checkInterval how often every signed-in session is checked against Keycloak (20 s)
 * @param startupWait how long the start waits for Keycloak to answer before it stops with the reason (60 s)
 * @param userRole the realm role that lets people use GenOS ({@code genos-user} → ROLE_USER)
 * @param adminRole the realm role of GenOS administrators ({@code genos-admin} → ROLE_ADMIN and ROLE_USER)
 */
@ConfigurationProperties("genos.sso")
public record SsoProperties(String url, String realm, String clientId, String clientSecret, Duration checkInterval,
        Duration startupWait, String userRole, String adminRole) {

    /** The registration id: the sign-in starts at /oauth2/authorization/keycloak. */
    public static final String REGISTRATION = "keycloak";

    public SsoProperties {
        url = url == null ? "" : url.strip().replaceAll("/+$", "");
        realm = blank(realm) ? "genos" : realm.strip();
        clientId = blank(clientId) ? "genos-portal" : clientId.strip();
        clientSecret = clientSecret == null ? "" : clientSecret.strip();
        checkInterval = checkInterval == null ? Duration.ofSeconds(20) : checkInterval;
        startupWait = startupWait == null ? Duration.ofSeconds(60) : startupWait;
        userRole = blank(userRole) ? "genos-user" : userRole.strip();
        adminRole = blank(adminRole) ? "genos-admin" : adminRole.strip();
    }

    /** The realm's issuer: {@code <url>/realms/<realm>}. */
    public String issuer() {
        return url + "/realms/" + realm;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
