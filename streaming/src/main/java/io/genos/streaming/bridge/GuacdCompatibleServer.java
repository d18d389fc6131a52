package io.genos.streaming.bridge;

import io.genos.streaming.StreamingException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.guacamole.GuacamoleException;
import org.apache.guacamole.io.ReaderGuacamoleReader;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.apache.guacamole.protocol.GuacamoleStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks guacd's side of the Guacamole protocol 1.5 handshake on a loopback TCP port and then streams the embedded
 * bridge, so stock Guacamole clients (guacamole-common's {@code ConfiguredGuacamoleSocket} over
 * {@code InetGuacamoleSocket}, the Guacamole web app, protocol-level benchmarks) use it exactly as guacd:
 * {@code select,vnc} → {@code args,VERSION_1_5_0,hostname,port,password} → {@code size}, {@code audio},
 * {@code video}, {@code image}, {@code timezone}, {@code name} → {@code connect,...} → {@code ready,$id} → stream.
 * Only the {@code vnc} protocol is served; joining a connection by id is not supported.
 */
public final class GuacdCompatibleServer implements AutoCloseable {

    static final String VERSION = "VERSION_1_5_0";
    static final List<String> ARGS = List.of("hostname", "port", "password");
    private static final Logger log = LoggerFactory.getLogger(GuacdCompatibleServer.class);
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;

    private final VncBridge bridge;
    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private GuacdCompatibleServer(VncBridge bridge, ServerSocket server) {
        this.bridge = bridge;
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("guacd-compatible-accept-" + server.getLocalPort())
                .start(this::acceptLoop);
    }

    /** Listens on 127.0.0.1:{@code port} (0 = an ephemeral port, see {@link #port()}). */
    public static GuacdCompatibleServer start(VncBridge bridge, int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            return new GuacdCompatibleServer(bridge, server);
        } catch (IOException e) {
            throw new StreamingException(GuacamoleStatus.SERVER_ERROR,
                    "Cannot listen on 127.0.0.1:" + port + " for the guacd-compatible bridge: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread.ofVirtual().name("guacd-compatible-connection").start(() -> serve(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("guacd-compatible server: accept failed", e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            ReaderGuacamoleReader in = new ReaderGuacamoleReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
            VncBridgeSession session;
            try {
                session = handshake(in, out);
            } catch (HandshakeException e) {
                send(out, "error", e.getMessage(), Integer.toString(e.status.getGuacamoleStatusCode()));
                return;
            }
            if (session == null) {
                return;
            }
            socket.setSoTimeout(0);
            relay(session, in, out);
        } catch (IOException | GuacamoleException e) {
            log.debug("guacd-compatible connection ended: {}", e.toString());
        } finally {
            connections.remove(socket);
        }
    }

    private VncBridgeSession handshake(ReaderGuacamoleReader in, Writer out)
            throws IOException, GuacamoleException, HandshakeException {
        GuacamoleInstruction select = in.readInstruction();
        if (select == null) {
            return null;
        }
        if (!select.getOpcode().equals("select") || select.getArgs().size() != 1) {
            throw new HandshakeException(GuacamoleStatus.CLIENT_BAD_REQUEST,
                    "Expected \"select\" with a protocol, got \"" + select.getOpcode() + "\"");
        }
        String protocol = select.getArgs().getFirst();
        if (protocol.startsWith("$")) {
            throw new HandshakeException(GuacamoleStatus.RESOURCE_NOT_FOUND,
                    "Joining an existing connection is not supported by the GenOS bridge");
        }
        if (!protocol.equals("vnc")) {
            throw new HandshakeException(GuacamoleStatus.UNSUPPORTED,
                    "Protocol \"" + protocol + "\" is not supported by the GenOS bridge (VNC only; use guacd)");
        }
        String[] args = new String[ARGS.size() + 1];
        args[0] = VERSION;
        for (int i = 0; i < ARGS.size(); i++) {
            args[i + 1] = ARGS.get(i);
        }
        send(out, "args", args);

        GuacamoleInstruction instruction;
        while (true) {
            instruction = in.readInstruction();
            if (instruction == null) {
                return null;
            }
            String opcode = instruction.getOpcode();
            if (opcode.equals("connect")) {
                break;
            }
            if (!List.of("size", "audio", "video", "image", "timezone", "name").contains(opcode)) {
                throw new HandshakeException(GuacamoleStatus.CLIENT_BAD_REQUEST,
                        "Unexpected \"" + opcode + "\" instruction during the handshake");
            }
        }
        List<String> values = instruction.getArgs();
        if (values.size() != ARGS.size() + 1) {
            throw new HandshakeException(GuacamoleStatus.CLIENT_BAD_REQUEST,
                    "\"connect\" must carry " + (ARGS.size() + 1) + " values (version, " + String.join(", ", ARGS)
                            + "), got " + values.size());
        }
        String hostname = values.get(1);
        String password = values.get(3);
        int port;
        try {
            port = values.get(2).isEmpty() ? 5900 : Integer.parseInt(values.get(2));
        } catch (NumberFormatException e) {
            throw new HandshakeException(GuacamoleStatus.CLIENT_BAD_REQUEST, "Port \"" + values.get(2) + "\" is not a number");
        }
        if (hostname.isEmpty()) {
            throw new HandshakeException(GuacamoleStatus.CLIENT_BAD_REQUEST, "The \"hostname\" parameter is required");
        }
        send(out, "ready", "$" + UUID.randomUUID());
        try {
            return bridge.connect(hostname, port, password.isEmpty() ? null : password);
        } catch (StreamingException e) {
            throw new HandshakeException(e.status(), e.getMessage());
        }
    }

    private void relay(VncBridgeSession session, ReaderGuacamoleReader in, Writer out) {
        Thread inbound = Thread.ofVirtual().name("guacd-compatible-inbound").start(() -> {
            try {
                char[] chunk;
                while (session.isOpen() && (chunk = in.read()) != null) {
                    session.getWriter().write(chunk);
                }
                session.close();
            } catch (GuacamoleException e) {
                // A malformed instruction: the session has queued (or now queues) an error for the client.
                session.fail(GuacamoleStatus.CLIENT_BAD_REQUEST, "Malformed instruction: " + e.getMessage());
            }
        });
        try {
            char[] chunk;
            while ((chunk = session.getReader().read()) != null) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException | GuacamoleException e) {
            log.debug("guacd-compatible client went away: {}", e.toString());
        } finally {
            session.close();
            inbound.interrupt();
        }
    }

    private static void send(Writer out, String opcode, String... args) throws IOException {
        StringBuilder sb = new StringBuilder();
        Instructions.append(sb, opcode, (Object[]) args);
        out.write(sb.toString());
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class HandshakeException extends Exception {
        final GuacamoleStatus status;

        HandshakeException(GuacamoleStatus status, String message) {
            super(message);
            this.status = status;
        }
    }
}
