package io.genos.streaming;

import io.genos.spec.DisplayEndpoint;
import org.apache.guacamole.net.GuacamoleTunnel;

/**
 * The port through which the core opens an environment's display as a Guacamole-protocol stream. The returned
 * tunnel is past the Guacamole handshake: its reader yields drawing instructions ({@code size}, {@code img},
 * {@code copy}, {@code sync}, ...), its writer takes client instructions ({@code mouse}, {@code key}, {@code sync},
 * {@code size}, {@code disconnect}). Close it when done.
 */
@FunctionalInterface
public interface DisplayGateway {

    /**
     * @throws StreamingException when the display cannot be opened, with the status the client is told
     */
    GuacamoleTunnel open(DisplayEndpoint endpoint, ClientScreen screen);
}
