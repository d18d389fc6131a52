package io.genos.portal.api;

import io.genos.portal.security.CurrentUser;
import io.genos.portal.service.Actor;
import org.springframework.security.core.Authentication;

/** What every endpoint needs: who asks, as the application service sees them. */
final class Api {
    private Api() {}

    static Actor actor(Authentication auth) {
        if (auth == null || !auth.isAuthenticated()) {
            throw new org.springframework.security.authentication.AuthenticationCredentialsNotFoundException(
                    "no API token");
        }
        return CurrentUser.actor(auth);
    }
}
