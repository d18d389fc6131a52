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

    TunnelWebSocketConfig(TunnelAuthorizer authorizer, DisplayGateway gateway, Activity activity) {
        this.authorizer = authorizer;
        this.gateway = gateway;
        this.activity = activity;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new GuacamoleTunnelHandler(authorizer, gateway, activity::touch), "/tunnel");
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
