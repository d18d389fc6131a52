package io.genos.portal.terminal;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.portal.service.EnvironmentService;
import io.genos.orchestrator.OrchestratorException;
import io.genos.orchestrator.Terminal;
import io.genos.orchestrator.TerminalOutput;
import io.genos.portal.security.CurrentUser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /terminal?env=<id>&cols=<n>&rows=<n>}: a terminal attached to a running environment.
 *
 * <p>The protocol, deliberately tiny: the browser sends text messages {@code i<keystrokes or pasted text>} and
 * {@code r<cols>,<rows>}; the server sends the terminal's output as binary messages (raw bytes, UTF-8, for xterm.js
 * to decode across message boundaries) and, before it closes for a reason the user should read, one text message
 * {@code e<message>}. Closing the socket only detaches: the environment's tmux session keeps the shell, so a reload
 * attaches to the same shell with its history and screen.
 */
public final class TerminalWebSocketHandler extends TextWebSocketHandler {
    public static final String PATH = "/terminal";
    private static final Logger log = LoggerFactory.getLogger(TerminalWebSocketHandler.class);
    private static final String TERMINAL = "genos.terminal";
    private static final String INPUT = "genos.terminal-input";
    /** Most typed or pasted bytes waiting for an environment that does not read them. */
    static final int MAX_QUEUED_INPUT = 1 << 20;
    private static final String REFUSED = "You cannot open this environment: it does not exist or it belongs to "
            + "another user.";

    private final EnvironmentService environments;

    public TerminalWebSocketHandler(EnvironmentService environments) {
        this.environments = environments;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) throws IOException {
        WebSocketSession session = new ConcurrentWebSocketSessionDecorator(raw, 10_000, 1 << 20);
        Map<String, String> query = query(raw.getUri());
        String envId = query.getOrDefault("env", "");
        if (!(raw.getPrincipal() instanceof Authentication auth) || !auth.isAuthenticated()) {
            refuse(session, CloseStatus.POLICY_VIOLATION, "Sign in to open this environment's terminal.");
            return;
        }
        io.genos.portal.service.Actor actor = CurrentUser.actor(auth);
        Environment env = environments.find(envId, actor).orElse(null);
        if (env == null) {
            refuse(session, CloseStatus.POLICY_VIOLATION, REFUSED);
            return;
        }
        if (env.state() != EnvironmentState.RUNNING) {
            refuse(session, CloseStatus.POLICY_VIOLATION, "The environment " + env.name() + " is "
                    + env.state().name().toLowerCase(Locale.ROOT) + ", not running: start it first.");
            return;
        }
        int cols = size(query.get("cols"), 80);
        int rows = size(query.get("rows"), 24);
        try {
            Terminal terminal = environments.attachTerminal(env.id(), cols, rows, new TerminalOutput() {
                @Override
                public void output(byte[] bytes) {
                    try {
                        if (session.isOpen()) {
                            session.sendMessage(new BinaryMessage(bytes));
                        }
                    } catch (IOException | RuntimeException e) {
                        log.debug("terminal output to a closing socket: {}", e.toString());
                    }
                }

                @Override
                public void closed(String reason) {
                    if (session.isOpen() && !"closed".equals(reason)) {
                        refuse(session, CloseStatus.NORMAL, "The terminal ended: " + reason + ". Reload to open it again.");
                    }
                }
            }, actor);
            raw.getAttributes().put(TERMINAL, terminal);
            // written by a thread of its own: an environment that stops reading never holds a request thread
            raw.getAttributes().put(INPUT, new io.genos.streaming.web.InputPump<byte[]>("terminal-in", MAX_QUEUED_INPUT,
                    b -> b.length, terminal::write, e -> refuse(session, CloseStatus.SERVER_ERROR,
                            "The terminal stopped taking input: " + e.getMessage())));
            log.info("terminal of {} opened by {} ({}x{})", env.id(), auth.getName(), cols, rows);
        } catch (OrchestratorException e) {
            refuse(session, CloseStatus.SERVER_ERROR, "The terminal could not be opened: " + e.getMessage());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        Terminal terminal = (Terminal) session.getAttributes().get(TERMINAL);
        String m = message.getPayload();
        if (terminal == null || m.isEmpty()) {
            return;
        }
        switch (m.charAt(0)) {
            case 'i' -> {
                if (session.getAttributes().get(INPUT) instanceof io.genos.streaming.web.InputPump<?> pump
                        && !((io.genos.streaming.web.InputPump<byte[]>) pump).offer(
                                m.substring(1).getBytes(StandardCharsets.UTF_8))) {
                    refuse(session, CloseStatus.POLICY_VIOLATION, "The environment does not take input: over "
                            + MAX_QUEUED_INPUT + " bytes waiting (GenOS's limit per terminal). Reload to open it again.");
                }
            }
            case 'r' -> {
                String[] wh = m.substring(1).split(",");
                if (wh.length == 2) {
                    int c = size(wh[0], -1);
                    int r = size(wh[1], -1);
                    if (c > 0 && r > 0) {
                        terminal.resize(c, r);
                    }
                }
            }
            default -> log.debug("unknown terminal message {}", m.charAt(0));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        if (session.getAttributes().remove(INPUT) instanceof io.genos.streaming.web.InputPump<?> pump) {
            pump.close();
        }
        if (session.getAttributes().remove(TERMINAL) instanceof Terminal terminal) {
            terminal.close();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("terminal socket error: {}", exception.toString());
    }

    private static void refuse(WebSocketSession session, CloseStatus status, String message) {
        try {
            session.sendMessage(new TextMessage("e" + message));
            // a close reason is limited to 123 bytes
            String reason = message.length() > 120 ? message.substring(0, 120) : message;
            session.close(status.withReason(reason));
        } catch (IOException | RuntimeException e) {
            log.debug("refusing a terminal: {}", e.toString());
        }
    }

    /** A size between 1 and 1000, else the fallback. */
    static int size(String value, int fallback) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.strip());
            return n >= 1 && n <= 1000 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Map<String, String> query(URI uri) {
        if (uri == null) {
            return Map.of();
        }
        return UriComponentsBuilder.fromUri(uri).build().getQueryParams().toSingleValueMap();
    }
}
