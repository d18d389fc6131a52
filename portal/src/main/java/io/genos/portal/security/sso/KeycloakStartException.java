package io.genos.portal.security.sso;

/**
 * The portal cannot start with profile keycloak: Keycloak does not answer, has no such realm, or refuses the client.
 * {@code KeycloakFailureAnalyzer} prints it as the start's failure report: what is wrong, then what to do.
 */
public class KeycloakStartException extends RuntimeException {

    private final String action;

    public KeycloakStartException(String problem, String action, Throwable cause) {
        super(problem, cause);
        this.action = action;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
