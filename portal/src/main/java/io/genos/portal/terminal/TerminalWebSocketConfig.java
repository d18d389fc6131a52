package io.genos.portal.terminal;

import io.genos.orchestrator.Environments;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The terminal endpoint at {@code /terminal}, behind the sign-in (SecurityConfig) and the owner-or-admin rule. */
@Configuration
class TerminalWebSocketConfig implements WebSocketConfigurer {

    private final Environments environments;

    TerminalWebSocketConfig(Environments environments) {
        this.environments = environments;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new TerminalWebSocketHandler(environments), TerminalWebSocketHandler.PATH);
    }
}
