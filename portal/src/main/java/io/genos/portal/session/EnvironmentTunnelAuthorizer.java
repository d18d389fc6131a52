package io.genos.portal.session;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.Environments;
import io.genos.portal.security.CurrentUser;
import io.genos.spec.DisplayEndpoint;
import io.genos.streaming.TunnelAuthorizer;
import io.genos.streaming.TunnelRefusedException;
import java.security.Principal;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** The tunnel opens only for the environment's owner or an admin, and only while the environment runs. */
@Component
class EnvironmentTunnelAuthorizer implements TunnelAuthorizer {

    private final Environments environments;

    EnvironmentTunnelAuthorizer(Environments environments) {
        this.environments = environments;
    }

    @Override
    public DisplayEndpoint authorize(String environmentId, Principal user) throws TunnelRefusedException {
        if (!(user instanceof Authentication auth) || !auth.isAuthenticated()) {
            throw TunnelRefusedException.unauthorized("Sign in to open this environment's display.");
        }
        Environment env = environments.find(environmentId)
                .orElseThrow(() -> TunnelRefusedException.forbidden("You cannot open this environment: it does not exist "
                        + "or it belongs to another user."));
        if (!CurrentUser.mayAccess(auth, env.owner())) {
            throw TunnelRefusedException.forbidden("You cannot open this environment: it does not exist or it belongs "
                    + "to another user.");
        }
        return env.display().orElseThrow(() -> TunnelRefusedException.notFound("The environment " + env.name()
                + " is " + env.state().name().toLowerCase(java.util.Locale.ROOT) + ", not running: start it first."));
    }
}
