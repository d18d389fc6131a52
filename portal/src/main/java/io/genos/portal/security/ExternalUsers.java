package io.genos.portal.security;

/**
 * Users whose standing another system decides: with profile {@code keycloak}, Keycloak (io.genos.portal.security.sso).
 * When a bean of this type exists, {@link UserAccess} asks it instead of the local user store whether a signed-in user
 * may still use GenOS; the other system's side revokes access through {@link UserAccess#revoke}.
 */
public interface ExternalUsers {

    /** Whether the user, who signed in through the other system, may still use GenOS as far as GenOS knows now. */
    boolean active(String username);

    /** The user's roles and groups as the other system last said (while they are signed in), for their quota. */
    default java.util.Optional<java.util.List<String>> authorities(String username) {
        return java.util.Optional.empty();
    }
}
