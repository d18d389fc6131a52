package io.genos.streaming.guacd;

import io.genos.spec.DisplayEndpoint;
import io.genos.streaming.ClientScreen;
import io.genos.streaming.DisplayGateway;
import io.genos.streaming.StreamingException;
import java.util.List;
import org.apache.guacamole.GuacamoleException;
import org.apache.guacamole.GuacamoleUpstreamNotFoundException;
import org.apache.guacamole.net.GuacamoleSocket;
import org.apache.guacamole.net.GuacamoleTunnel;
import org.apache.guacamole.net.InetGuacamoleSocket;
import org.apache.guacamole.net.SimpleGuacamoleTunnel;
import org.apache.guacamole.protocol.ConfiguredGuacamoleSocket;
import org.apache.guacamole.protocol.GuacamoleClientInformation;
import org.apache.guacamole.protocol.GuacamoleConfiguration;
import org.apache.guacamole.protocol.GuacamoleStatus;

/** Opens displays through an external guacd at a fixed host and port. */
public final class GuacdGateway implements DisplayGateway {

    private final String host;
    private final int port;

    public GuacdGateway(String host, int port) {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid guacd address " + host + ":" + port);
        }
        this.host = host;
        this.port = port;
    }

    @Override
    public GuacamoleTunnel open(DisplayEndpoint endpoint, ClientScreen screen) {
        GuacamoleConfiguration config = configuration(endpoint);
        GuacamoleClientInformation info = new GuacamoleClientInformation();
        info.setOptimalScreenWidth(screen.width());
        info.setOptimalScreenHeight(screen.height());
        info.setOptimalResolution(screen.dpi());
        info.getImageMimetypes().addAll(List.of("image/png", "image/jpeg", "image/webp"));
        GuacamoleSocket socket;
        try {
            socket = new InetGuacamoleSocket(host, port);
        } catch (GuacamoleUpstreamNotFoundException e) {
            throw new StreamingException(GuacamoleStatus.UPSTREAM_NOT_FOUND, "guacd at " + host + ":" + port
                    + " is not reachable: " + e.getMessage(), e);
        } catch (GuacamoleException e) {
            throw new StreamingException(GuacamoleStatus.UPSTREAM_UNAVAILABLE, "guacd at " + host + ":" + port
                    + " is not reachable: " + e.getMessage(), e);
        }
        try {
            return new SimpleGuacamoleTunnel(new ConfiguredGuacamoleSocket(socket, config, info));
        } catch (GuacamoleException e) {
            try {
                socket.close();
            } catch (GuacamoleException ignored) {
                // already failing
            }
            throw new StreamingException(GuacamoleStatus.UPSTREAM_ERROR,
                    "guacd refused the " + endpoint.protocol().json() + " connection: " + e.getMessage(), e);
        }
    }

    /**
     * The connection parameters guacd gets, by its names for each protocol: {@code hostname}, {@code port},
     * {@code password}; for RDP also {@code username}, {@code security=any} (let the server choose: NLA, TLS or RDP),
     * {@code ignore-cert=true} (guests have self-signed certificates; the connection stays on this host's network) and
     * {@code resize-method=display-update}.
     */
    static GuacamoleConfiguration configuration(DisplayEndpoint endpoint) {
        GuacamoleConfiguration config = new GuacamoleConfiguration();
        config.setProtocol(endpoint.protocol().json());
        config.setParameter("hostname", endpoint.host());
        config.setParameter("port", Integer.toString(endpoint.port()));
        if (endpoint.password() != null) {
            config.setParameter("password", endpoint.password());
        }
        if (endpoint.protocol() == io.genos.spec.Streaming.Protocol.RDP) {
            if (endpoint.username() != null) {
                config.setParameter("username", endpoint.username());
            }
            config.setParameter("security", "any");
            config.setParameter("ignore-cert", "true");
            config.setParameter("resize-method", "display-update");
        }
        return config;
    }

    @Override
    public String toString() {
        return "guacd at " + host + ":" + port;
    }
}
