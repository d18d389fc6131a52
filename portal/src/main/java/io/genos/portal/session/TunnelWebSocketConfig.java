package io.genos.portal.session;

import io.genos.portal.lifetime.Activity;
import io.genos.streaming.DisplayGateway;
import io.genos.streaming.TunnelAuthorizer;
import io.genos.streaming.web.GuacamoleTunnelHandler;
import org.apache.tomcat.websocket.server.WsContextListener;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The Guacamole tunnel at {@code /tunnel}, behind the sign-in and the owner-or-admin rule. */
@Configuration
@EnableWebSocket
class TunnelWebSocketConfig implements WebSocketConfigurer {

    private final TunnelAuthorizer authorizer;
    private final DisplayGateway gateway;
    private final Activity activity;
    private final io.genos.portal.security.UserAccess access;
    private final io.genos.portal.metrics.GenosMetrics metrics;

    TunnelWebSocketConfig(TunnelAuthorizer authorizer, DisplayGateway gateway, Activity activity,
            io.genos.portal.security.UserAccess access, io.genos.portal.metrics.GenosMetrics metrics) {
        this.metrics = metrics;
        this.authorizer = authorizer;
        this.gateway = gateway;
        this.activity = activity;
        this.access = access;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // closed at once when the user's access is revoked (disabled or deleted)
        registry.addHandler(access.tracking("tunnel", new GuacamoleTunnelHandler(authorizer, gateway, activity::touch,
                metrics.streamTraffic())), "/tunnel");
    }

    /**
     * Tomcat's JSR-356 container, which Boot's own WebSocket auto-configuration would add (spring-boot-websocket 4.1.1
     * is not in the registry here, see STACK-NOTES).
     */
    @Bean
    static WebServerFactoryCustomizer<TomcatServletWebServerFactory> webSocketContainer() {
        return factory -> factory.addContextCustomizers(ctx -> ctx.addApplicationListener(WsContextListener.class.getName()));
    }
}
