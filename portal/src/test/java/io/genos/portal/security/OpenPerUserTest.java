package io.genos.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.portal.PortalProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Display tunnels and terminals per user are limited: past {@code genos.portal.max-open-per-user} a new one is closed
 * with the reason before the handler sees it; another user is not affected (the control), and closing one makes room.
 */
class OpenPerUserTest {

    /** A WebSocket session of {@code user} that records how it was closed. */
    private static WebSocketSession socket(String user, List<CloseStatus> closes) {
        Map<String, Object> attributes = new HashMap<>();
        Principal principal = () -> user;
        return (WebSocketSession) Proxy.newProxyInstance(OpenPerUserTest.class.getClassLoader(),
                new Class<?>[] {WebSocketSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getPrincipal" -> principal;
                    case "getAttributes" -> attributes;
                    case "getId" -> Integer.toHexString(System.identityHashCode(proxy));
                    case "isOpen" -> closes.isEmpty();
                    case "close" -> {
                        closes.add(args == null ? CloseStatus.NORMAL : (CloseStatus) args[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "socket of " + user;
                    default -> null;
                });
    }

    @Test
    void aUserPastTheLimitIsRefusedAnotherIsNot() throws Exception {
        PortalProperties settings = new PortalProperties("admin", "", PortalProperties.SignIn.DEFAULTS,
                PortalProperties.Rate.DEFAULTS, Duration.ofHours(24), 2);
        ExternalUsers everyoneActive = name -> true;
        var external = new StaticListableBeanFactory(Map.of("external", everyoneActive)).getBeanProvider(ExternalUsers.class);
        UserAccess access = new UserAccess(null, new SimpleMeterRegistry(), external, settings);
        List<String> reached = new ArrayList<>();
        var handler = access.tracking("tunnel", new AbstractWebSocketHandler() {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) {
                reached.add(session.getPrincipal().getName());
            }
        });

        List<CloseStatus> first = new ArrayList<>();
        List<CloseStatus> second = new ArrayList<>();
        List<CloseStatus> third = new ArrayList<>();
        WebSocketSession one = socket("mia", first);
        handler.afterConnectionEstablished(one);
        handler.afterConnectionEstablished(socket("mia", second));
        handler.afterConnectionEstablished(socket("mia", third));
        assertThat(first).isEmpty();
        assertThat(second).isEmpty();
        assertThat(third).singleElement().satisfies(s -> {
            assertThat(s.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
            assertThat(s.getReason()).contains("the most at once");
        });
        assertThat(reached).containsExactly("mia", "mia");

        List<CloseStatus> other = new ArrayList<>();
        handler.afterConnectionEstablished(socket("noah", other));
        assertThat(other).as("another user").isEmpty();

        handler.afterConnectionClosed(one, CloseStatus.NORMAL);
        List<CloseStatus> again = new ArrayList<>();
        handler.afterConnectionEstablished(socket("mia", again));
        assertThat(again).as("room again after one closed").isEmpty();
        assertThat(reached).containsExactly("mia", "mia", "noah", "mia");
    }
}
