package io.genos.streaming;

import io.genos.spec.DisplayEndpoint;
import java.security.Principal;

/**
 * Decides whether {@code user} may open the display of {@code environmentId} and, if so, where that display is.
 * The portal implements it (only the environment's owner or an admin); streaming calls it before opening anything.
 */
@FunctionalInterface
public interface TunnelAuthorizer {

    /**
     * @param user the WebSocket session's principal, {@code null} when nobody is signed in
     * @throws TunnelRefusedException with the status and message the client is shown
     */
    DisplayEndpoint authorize(String environmentId, Principal user) throws TunnelRefusedException;
}
