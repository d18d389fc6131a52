package io.genos.streaming.web;

import io.genos.spec.DisplayEndpoint;
import io.genos.streaming.ClientScreen;
import io.genos.streaming.DisplayGateway;
import io.genos.streaming.StreamingException;
import io.genos.streaming.TunnelAuthorizer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.guacamole.GuacamoleException;
import org.apache.guacamole.io.GuacamoleReader;
import org.apache.guacamole.net.GuacamoleTunnel;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.apache.guacamole.protocol.GuacamoleParser;
import org.apache.guacamole.protocol.GuacamoleStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The WebSocket end of guacamole-common-js's {@code Guacamole.WebSocketTunnel} (sub-protocol {@code guacamole}).
 * The client connects with the query string {@code id=<environment id>&width=&height=&dpi=} (what
 * {@code client.connect(data)} appends); the handler asks the {@link TunnelAuthorizer} for the display endpoint,
 * opens it through the {@link DisplayGateway}, sends the tunnel's UUID ({@code 0.,36.<uuid>;}) and relays
 * instructions both ways, echoing the client's internal {@code ping}. A refusal or failure is sent as an
 * {@code error} instruction with its Guacamole status and closes the socket with the matching close code.
 *
 * <p>The portal registers it in its own {@code WebSocketConfigurer}, e.g. at {@code /tunnel}.
 */
public class GuacamoleTunnelHandler extends TextWebSocketHandler implements SubProtocolCapable {

    private static final Logger log = LoggerFactory.getLogger(GuacamoleTunnelHandler.class);
    private static final String TUNNEL = "genos.tunnel";
    private static final String ENVIRONMENT = "genos.environment";
    private static final String INPUT = "genos.input";
    /** Most input (characters of instructions) waiting for a display that does not read: 1 Mi characters. */
    static final int MAX_QUEUED_INPUT = 1 << 20;

    private final TunnelAuthorizer authorizer;
    private final DisplayGateway gateway;
    private final InputListener inputListener;
    private final Traffic traffic;

    public GuacamoleTunnelHandler(TunnelAuthorizer authorizer, DisplayGateway gateway) {
        this(authorizer, gateway, id -> { }, Traffic.NONE);
    }

    /**
     * @param inputListener told of every keyboard or mouse input a browser sends to an environment's display
     * @param traffic told how much goes each way (for metrics; called on the relaying threads, so it must not block)
     */
    public GuacamoleTunnelHandler(TunnelAuthorizer authorizer, DisplayGateway gateway, InputListener inputListener,
            Traffic traffic) {
        this.authorizer = authorizer;
        this.gateway = gateway;
        this.inputListener = inputListener;
        this.traffic = traffic;
    }

    /** Someone used an environment's display: the idle clock of that environment starts again. */
    @FunctionalInterface
    public interface InputListener {
        void onInput(String environmentId);
    }

    /** What the tunnels carry, for metrics: characters of Guacamole instructions, and frames (sync instructions). */
    public interface Traffic {
        Traffic NONE = new Traffic() {
            @Override
            public void toBrowser(int chars, int frames) {}

            @Override
            public void fromBrowser(int chars) {}
        };

        void toBrowser(int chars, int frames);

        void fromBrowser(int chars);
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of("guacamole");
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        GuacamoleTunnel tunnel;
        try {
            Map<String, String> query = query(session.getUri());
            String environmentId = query.get("id");
            if (environmentId == null || environmentId.isBlank()) {
                throw new StreamingException(GuacamoleStatus.CLIENT_BAD_REQUEST,
                        "No environment id given (connect with id=<environment id>)");
            }
            ClientScreen screen = new ClientScreen(number(query, "width", 1024), number(query, "height", 768),
                    number(query, "dpi", 96));
            DisplayEndpoint endpoint = authorizer.authorize(environmentId, session.getPrincipal());
            tunnel = gateway.open(endpoint, screen);
        } catch (StreamingException e) {
            refuse(session, e.status(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn("Opening a display tunnel failed", e);
            refuse(session, GuacamoleStatus.SERVER_ERROR, "The display could not be opened: internal error");
            return;
        }
        session.getAttributes().put(TUNNEL, tunnel);
        session.getAttributes().put(ENVIRONMENT, query(session.getUri()).get("id"));
        GuacamoleTunnel opened = tunnel;
        session.getAttributes().put(INPUT, new InputPump<char[]>("guacamole-tunnel-in", MAX_QUEUED_INPUT, c -> c.length,
                chars -> {
                    try {
                        opened.acquireWriter().write(chars);
                    } finally {
                        opened.releaseWriter();
                    }
                },
                // the display session has queued an error instruction for the browser and closes the stream
                e -> log.debug("Rejected client data: {}", e.getMessage())));
        send(session, "0.,36." + tunnel.getUUID() + ";");
        Thread.ofVirtual().name("guacamole-tunnel-out").start(() -> relayToBrowser(session, tunnel));
    }

    private void relayToBrowser(WebSocketSession session, GuacamoleTunnel tunnel) {
        GuacamoleReader reader = tunnel.acquireReader();
        try {
            char[] chunk;
            while ((chunk = reader.read()) != null) {
                send(session, new String(chunk));
                traffic.toBrowser(chunk.length, frames(chunk));
            }
            close(session, CloseStatus.NORMAL);
        } catch (GuacamoleException e) {
            log.debug("Display stream ended: {}", e.toString());
            close(session, new CloseStatus(GuacamoleStatus.UPSTREAM_ERROR.getWebSocketCode(), "Display stream ended"));
        } catch (IOException e) {
            log.debug("Browser went away: {}", e.toString());
        } finally {
            tunnel.releaseReader();
            closeTunnel(tunnel);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        GuacamoleTunnel tunnel = (GuacamoleTunnel) session.getAttributes().get(TUNNEL);
        if (tunnel == null) {
            return;
        }
        String payload = message.getPayload();
        traffic.fromBrowser(payload.length());
        if (payload.startsWith("0.,")) {
            GuacamoleInstruction internal = parseOne(payload);
            if (internal == null) {
                refuse(session, GuacamoleStatus.CLIENT_BAD_REQUEST, "Malformed internal instruction");
                closeTunnel(tunnel);
            } else if (!internal.getArgs().isEmpty() && internal.getArgs().getFirst().equals("ping")) {
                send(session, payload); // as guacamole-common's tunnel endpoints do
            }
            return;
        }
        if (payload.contains("5.mouse,") || payload.contains("3.key,")) {
            // Sync acknowledgements of an open but untouched tab are not input; keys and pointer moves are.
            inputListener.onInput((String) session.getAttributes().get(ENVIRONMENT));
        }
        // queued for the pump's thread: a display that stalls its reads never holds this request thread
        if (session.getAttributes().get(INPUT) instanceof InputPump<?> pump
                && !((InputPump<char[]>) pump).offer(payload.toCharArray())) {
            refuse(session, GuacamoleStatus.CLIENT_TOO_MANY, "The display does not take input: over "
                    + MAX_QUEUED_INPUT + " characters waiting (GenOS's limit per display)");
            closeTunnel(tunnel);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        if (session.getAttributes().remove(INPUT) instanceof InputPump<?> pump) {
            pump.close();
        }
        GuacamoleTunnel tunnel = (GuacamoleTunnel) session.getAttributes().remove(TUNNEL);
        if (tunnel != null) {
            closeTunnel(tunnel);
        }
    }

    /** How many frames the instructions end: each frame ends with a {@code sync} instruction. */
    static int frames(char[] instructions) {
        int n = 0;
        for (int i = 0; i + 7 <= instructions.length; i++) {
            if (instructions[i] == '4' && instructions[i + 1] == '.' && instructions[i + 2] == 's'
                    && instructions[i + 3] == 'y' && instructions[i + 4] == 'n' && instructions[i + 5] == 'c'
                    && instructions[i + 6] == ',' && (i == 0 || instructions[i - 1] == ';')) {
                n++;
            }
        }
        return n;
    }

    private static GuacamoleInstruction parseOne(String payload) {
        try {
            GuacamoleParser parser = new GuacamoleParser();
            char[] chars = payload.toCharArray();
            int offset = 0;
            while (!parser.hasNext() && offset < chars.length) {
                int parsed = parser.append(chars, offset, chars.length - offset);
                if (parsed == 0) {
                    return null;
                }
                offset += parsed;
            }
            return parser.hasNext() ? parser.next() : null;
        } catch (GuacamoleException e) {
            return null;
        }
    }

    private static void refuse(WebSocketSession session, GuacamoleStatus status, String message) throws IOException {
        GuacamoleInstruction error = new GuacamoleInstruction("error", message,
                Integer.toString(status.getGuacamoleStatusCode()));
        send(session, error.toString());
        String reason = message.length() > 100 ? message.substring(0, 100) : message;
        close(session, new CloseStatus(status.getWebSocketCode(), reason));
    }

    private static void send(WebSocketSession session, String text) throws IOException {
        synchronized (session) {
            if (session.isOpen()) {
                session.sendMessage(new TextMessage(text));
            }
        }
    }

    private static void close(WebSocketSession session, CloseStatus status) {
        try {
            synchronized (session) {
                if (session.isOpen()) {
                    session.close(status);
                }
            }
        } catch (IOException e) {
            log.debug("Closing the WebSocket failed: {}", e.toString());
        }
    }

    private static void closeTunnel(GuacamoleTunnel tunnel) {
        try {
            if (tunnel.isOpen()) {
                tunnel.close();
            }
        } catch (GuacamoleException e) {
            log.debug("Closing the display tunnel failed: {}", e.toString());
        }
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> values = new HashMap<>();
        String raw = uri == null ? null : uri.getRawQuery();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    private static int number(Map<String, String> query, String name, int fallback) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return (int) Math.round(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            throw new StreamingException(GuacamoleStatus.CLIENT_BAD_REQUEST,
                    "Parameter " + name + " must be a number, was \"" + value + "\"");
        }
    }
}
