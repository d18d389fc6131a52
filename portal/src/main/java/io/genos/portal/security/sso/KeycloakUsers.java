package io.genos.portal.security.sso;

import io.genos.portal.quota.Quotas;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * A Keycloak identity as the portal's principal: named by {@code preferred_username}; {@code ROLE_USER} for the realm
 * role genos-user, {@code ROLE_ADMIN} and {@code ROLE_USER} for genos-admin (as a local admin has), {@code GROUP_<name>}
 * for each of the user's groups (the claim {@code groups} the realm's client maps; quota classes). Someone with neither
 * role is refused: Keycloak may know many people, GenOS only the ones the realm gives a GenOS role.
 */
final class KeycloakUsers implements OAuth2UserService<OidcUserRequest, OidcUser> {

    /** A user name GenOS takes as an owner (labels, audit, quotas): what Keycloak allows by default, bounded. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");

    /** The sign-in was refused by GenOS (not by Keycloak); {@link #username()} is who tried. */
    static final class Refused extends OAuth2AuthenticationException {
        private final String username;

        Refused(String username, String why) {
            super(new OAuth2Error("genos_refused", why, null), why);
            this.username = username;
        }

        String username() {
            return username;
        }
    }

    private final OidcUserService delegate = new OidcUserService();
    private final SsoProperties properties;

    KeycloakUsers(SsoProperties properties) {
        this.properties = properties;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
        OidcUser user = delegate.loadUser(request);
        String name = user.getPreferredUsername();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Refused(name == null ? "(no name)" : name.substring(0, Math.min(64, name.length())),
                    "Keycloak's user name " + (name == null ? "is missing" : "'" + name + "' is not one GenOS takes")
                            + " (letters, digits, . _ @ + -, at most 64)");
        }
        List<String> authorities = authorities(user.getClaims(), properties.userRole(), properties.adminRole());
        if (!authorities.contains("ROLE_USER")) {
            throw new Refused(name, name + " has neither of the realm roles " + properties.userRole() + " and "
                    + properties.adminRole() + " in Keycloak, so may not use GenOS");
        }
        Set<GrantedAuthority> granted = new LinkedHashSet<>();
        authorities.forEach(a -> granted.add(new SimpleGrantedAuthority(a)));
        return new DefaultOidcUser(granted, user.getIdToken(), user.getUserInfo(), "preferred_username");
    }

    /**
     * The portal's authorities from the ID token's and user info's claims: {@code realm_access.roles} and
     * {@code groups} (names, or paths such as {@code /students}: the last part counts).
     */
    static List<String> authorities(Map<String, Object> claims, String userRole, String adminRole) {
        List<String> out = new ArrayList<>();
        Collection<?> roles = claims.get("realm_access") instanceof Map<?, ?> access
                && access.get("roles") instanceof Collection<?> c ? c : List.of();
        if (roles.contains(adminRole)) {
            out.add("ROLE_ADMIN");
            out.add("ROLE_USER");
        } else if (roles.contains(userRole)) {
            out.add("ROLE_USER");
        }
        if (claims.get("groups") instanceof Collection<?> groups) {
            for (Object g : groups) {
                String group = String.valueOf(g);
                group = group.substring(group.lastIndexOf('/') + 1);
                if (!group.isBlank() && !out.contains(Quotas.GROUP + group)) {
                    out.add(Quotas.GROUP + group);
                }
            }
        }
        return List.copyOf(out);
    }
}
