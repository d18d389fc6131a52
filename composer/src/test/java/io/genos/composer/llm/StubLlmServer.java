package io.genos.composer.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for an LLM endpoint on an ephemeral loopback port: OpenAI's {@code POST /v1/chat/completions}
 * and Ollama's {@code POST /api/chat}, each answering in that API's response format. It plays a script of replies
 * (the last one repeats) and records every request it received, headers and body.
 */
public final class StubLlmServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One reply: content for the assistant's message, or a raw HTTP answer; after an optional delay. */
    public record Reply(String content, int status, String rawBody, Duration delay) {
        public static Reply answer(String content) {
            return new Reply(content, 200, null, Duration.ZERO);
        }

        public static Reply slow(Duration delay, String content) {
            return new Reply(content, 200, null, delay);
        }

        public static Reply http(int status, String body) {
            return new Reply(null, status, body, Duration.ZERO);
        }
    }

    /** What the stub received. */
    public record Received(String path, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The chat messages' contents, in order, as "role: content". */
        public List<String> messages() {
            List<String> out = new ArrayList<>();
            for (JsonNode m : json().get("messages")) {
                out.add(m.get("role").asText() + ": " + m.get("content").asText());
            }
            return out;
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stub-llm");
        t.setDaemon(true);
        return t;
    });
    private final List<Reply> script;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public StubLlmServer(Reply... script) throws IOException {
        if (script.length == 0) {
            throw new IllegalArgumentException("a script of at least one reply");
        }
        this.script = List.of(script);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> handle(ex, false));
        server.createContext("/api/chat", ex -> handle(ex, true));
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL for the OpenAI provider ({@code .../v1}). */
    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The base URL for the Ollama provider. */
    public String ollamaBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange ex, boolean ollama) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = received.size();
            received.add(new Received(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, "{\"error\":\"POST only\"}");
                return;
            }
            Reply reply = script.get(Math.min(n, script.size() - 1));
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (reply.content() == null) {
                send(ex, reply.status(), reply.rawBody());
                return;
            }
            ObjectNode root = JSON.createObjectNode();
            if (ollama) {
                root.put("model", "stub");
                root.put("created_at", "2026-11-21T00:00:00Z");
                ObjectNode message = root.putObject("message");
                message.put("role", "assistant");
                message.put("content", reply.content());
                root.put("done", true);
                root.put("done_reason", "stop");
                root.put("prompt_eval_count", 10);
                root.put("eval_count", 10);
            } else {
                root.put("id", "chatcmpl-stub-" + n);
                root.put("object", "chat.completion");
                root.put("created", 1_790_000_000L);
                root.put("model", "stub");
                ObjectNode choice = root.putArray("choices").addObject();
                choice.put("index", 0);
                ObjectNode message = choice.putObject("message");
                message.put("role", "assistant");
                message.put("content", reply.content());
                choice.put("finish_reason", "stop");
                ObjectNode usage = root.putObject("usage");
                usage.put("prompt_tokens", 10);
                usage.put("completion_tokens", 10);
                usage.put("total_tokens", 20);
            }
            send(ex, 200, JSON.writeValueAsString(root));
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
