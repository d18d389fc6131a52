package io.genos.portal.security.sso;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Keycloak's absence at start as Spring Boot's failure report ("APPLICATION FAILED TO START"), not a stack trace. */
class KeycloakFailureAnalyzer extends AbstractFailureAnalyzer<KeycloakStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KeycloakStartException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
