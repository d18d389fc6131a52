package io.genos.streaming.web;

import jakarta.websocket.Endpoint;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.adapter.standard.StandardWebSocketHandlerAdapter;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * An embedded Tomcat 11 serving static files from a folder and a Spring {@link WebSocketHandler} at {@code /tunnel}
 * through Spring's standard (JSR-356) adapter. The signed-in user is taken from the {@code X-Test-User} header, the
 * {@code user} query parameter or the {@code genos-test-user} cookie (none = anonymous).
 */
final class TunnelTestServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final int port;

    private TunnelTestServer(Tomcat tomcat, int port) {
        this.tomcat = tomcat;
        this.port = port;
    }

    static TunnelTestServer start(WebSocketHandler handler, Path docBase) throws Exception {
        Path base = Files.createTempDirectory("tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", (docBase == null ? base : docBase).toString());
        context.addServletContainerInitializer(new WsSci(), null);
        // Static files, and Tomcat's WsFilter (which does the upgrade) only runs for requests mapped to a servlet.
        Tomcat.addServlet(context, "default", new org.apache.catalina.servlets.DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        tomcat.getConnector();
        tomcat.start();
        ServerContainer container = (ServerContainer) context.getServletContext().getAttribute(ServerContainer.class.getName());
        // Tomcat asks the configurator for one endpoint per connection: each wraps the handler in Spring's adapter.
        container.addEndpoint(ServerEndpointConfig.Builder.create(Endpoint.class, "/tunnel")
                .subprotocols(List.of("guacamole"))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
                        List<String> header = request.getHeaders().get("X-Test-User");
                        List<String> parameter = request.getParameterMap().get("user");
                        String user = header != null ? header.getFirst() : parameter != null ? parameter.getFirst() : "";
                        for (String cookies : request.getHeaders().getOrDefault("Cookie", List.of())) {
                            for (String cookie : cookies.split(";\\s*")) {
                                if (cookie.startsWith("genos-test-user=")) {
                                    user = cookie.substring("genos-test-user=".length());
                                }
                            }
                        }
                        config.getUserProperties().put("genos.user", user);
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new Endpoint() {
                            private StandardWebSocketHandlerAdapter delegate;

                            @Override
                            public void onOpen(jakarta.websocket.Session session, jakarta.websocket.EndpointConfig config) {
                                String name = (String) config.getUserProperties().get("genos.user");
                                Principal principal = name == null || name.isEmpty() ? null : () -> name;
                                StandardWebSocketSession spring = new StandardWebSocketSession(new HttpHeaders(),
                                        new HashMap<>(), null, null, principal);
                                delegate = new StandardWebSocketHandlerAdapter(handler, spring);
                                delegate.onOpen(session, config);
                            }

                            @Override
                            public void onClose(jakarta.websocket.Session session, jakarta.websocket.CloseReason reason) {
                                delegate.onClose(session, reason);
                            }

                            @Override
                            public void onError(jakarta.websocket.Session session, Throwable error) {
                                delegate.onError(session, error);
                            }
                        });
                    }
                }).build());
        return new TunnelTestServer(tomcat, tomcat.getConnector().getLocalPort());
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
