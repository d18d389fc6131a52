package io.genos.portal.terminal;

import io.genos.portal.service.EnvironmentService;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The terminal endpoint at {@code /terminal}, behind the sign-in (SecurityConfig) and the owner-or-admin rule. */
@Configuration
class TerminalWebSocketConfig implements WebSocketConfigurer {

    private final EnvironmentService environments;
    private final io.genos.portal.security.UserAccess access;

    TerminalWebSocketConfig(EnvironmentService environments, io.genos.portal.security.UserAccess access) {
        this.environments = environments;
        this.access = access;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // closed at once when the user's access is revoked (disabled or deleted)
        registry.addHandler(access.tracking("terminal", new TerminalWebSocketHandler(environments)), TerminalWebSocketHandler.PATH);
    }
}
