package io.genos.portal.session;

import io.genos.orchestrator.Environment;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.security.CurrentUser;
import io.genos.spec.DisplayEndpoint;
import io.genos.streaming.TunnelAuthorizer;
import io.genos.streaming.TunnelRefusedException;
import java.security.Principal;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The tunnel opens only for the environment's owner or an admin, and only while the environment runs. An RDP display
 * is signed in to with the user and password registered with its image.
 */
@Component
class EnvironmentTunnelAuthorizer implements TunnelAuthorizer {

    private final EnvironmentService environments;
    private final io.genos.portal.images.ImageRegistry images;

    EnvironmentTunnelAuthorizer(EnvironmentService environments, io.genos.portal.images.ImageRegistry images) {
        this.environments = environments;
        this.images = images;
    }

    @Override
    public DisplayEndpoint authorize(String environmentId, Principal user) throws TunnelRefusedException {
        if (!(user instanceof Authentication auth) || !auth.isAuthenticated()) {
            throw TunnelRefusedException.unauthorized("Sign in to open this environment's display.");
        }
        Environment env = environments.openDisplay(environmentId, CurrentUser.actor(auth))
                .orElseThrow(() -> TunnelRefusedException.forbidden("You cannot open this environment: it does not exist "
                        + "or it belongs to another user."));
        DisplayEndpoint endpoint = env.display().orElseThrow(() -> TunnelRefusedException.notFound("The environment "
                + env.name() + " is " + env.state().name().toLowerCase(java.util.Locale.ROOT)
                + ", not running: start it first."));
        if (endpoint.protocol() == io.genos.spec.Streaming.Protocol.RDP) {
            var image = images.find(env.imageId());
            return new DisplayEndpoint(endpoint.protocol(), endpoint.host(), endpoint.port(),
                    image.map(io.genos.portal.images.ImageRegistry.Registered::rdpPassword).orElse(null),
                    image.map(io.genos.portal.images.ImageRegistry.Registered::rdpUsername).orElse(null));
        }
        return endpoint;
    }
}
