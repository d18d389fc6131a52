package io.genos.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./genos env list|create|show|destroy|open}: the portal's REST API from a shell, with a personal API token.
 * Everything the portal sends is treated as untrusted: answers are read up to 4 MiB, and text is printed without
 * control characters (a name cannot move the cursor or retitle the terminal).
 */
public final class EnvCli {
    static final int MAX_ANSWER = 4 * 1024 * 1024;
    static final String USAGE = """
            usage: ./genos env <command> [--json]
              list                      your environments (every one for an admin)
              create "words…" [--wait]  compose and launch what the words ask for; --wait until it runs
              show ID                   one environment (ID or a unique start of it)
              destroy ID                destroy it (its history stays)
              open ID                   print the link that shows it in the browser
            settings: GENOS_URL (default http://localhost:8080), GENOS_TOKEN or GENOS_TOKEN_FILE (default ~/.genos/token):
            a personal API token made in the portal under API tokens.
            exit codes: 0 done, 1 refused by the portal, 2 usage, 3 the portal cannot be reached""";

    /** A refusal or failure with the exit code it ends with. */
    static final class Failure extends Exception {
        final int code;

        Failure(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http;
    private final URI base;
    private final String token;
    private final PrintStream out;
    private final boolean asJson;

    EnvCli(URI base, String token, PrintStream out, boolean asJson) {
        this.base = base;
        this.token = token;
        this.out = out;
        this.asJson = asJson;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        boolean asJson = false;
        boolean wait = false;
        for (String a : args) {
            switch (a) {
                case "--json" -> asJson = true;
                case "--wait" -> wait = true;
                case "-h", "--help", "help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> words.add(a);
            }
        }
        if (words.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        try {
            String url = env.getOrDefault("GENOS_URL", "http://localhost:8080").strip();
            URI base = URI.create(url.endsWith("/") ? url : url + "/");
            if (!List.of("http", "https").contains(String.valueOf(base.getScheme()))) {
                throw new Failure(2, "GENOS_URL is an http or https URL, not " + url);
            }
            EnvCli cli = new EnvCli(base, token(env), out, asJson);
            String command = words.getFirst();
            List<String> rest = words.subList(1, words.size());
            switch (command) {
                case "list" -> cli.list();
                case "create" -> cli.create(String.join(" ", rest), wait);
                case "show" -> cli.show(one(rest, "show"));
                case "destroy" -> cli.destroy(one(rest, "destroy"));
                case "open" -> cli.open(one(rest, "open"));
                default -> throw new Failure(2, "unknown command " + clean(command) + "\n" + USAGE);
            }
            return 0;
        } catch (Failure f) {
            err.println(f.getMessage());
            return f.code;
        } catch (IllegalArgumentException e) {
            err.println(clean(e.getMessage()));
            return 2;
        }
    }

    private static String one(List<String> rest, String command) throws Failure {
        if (rest.size() != 1) {
            throw new Failure(2, "usage: ./genos env " + command + " ID");
        }
        return rest.getFirst();
    }

    private static String token(Map<String, String> env) throws Failure {
        String t = env.get("GENOS_TOKEN");
        if (t == null || t.isBlank()) {
            Path file = Path.of(env.getOrDefault("GENOS_TOKEN_FILE",
                    Path.of(System.getProperty("user.home"), ".genos", "token").toString()));
            try {
                t = Files.isReadable(file) && Files.size(file) < 1024 ? Files.readString(file) : null;
            } catch (IOException e) {
                t = null;
            }
        }
        if (t == null || t.isBlank()) {
            throw new Failure(2, "no API token: set GENOS_TOKEN (or GENOS_TOKEN_FILE) to a token made in the portal "
                    + "under API tokens");
        }
        return t.strip();
    }

    void list() throws Failure {
        JsonNode list = call("GET", "api/v1/environments", null, 200);
        if (asJson) {
            print(list);
            return;
        }
        if (list.isEmpty()) {
            out.println("no environments");
            return;
        }
        out.printf("%-36s  %-24s  %-12s  %-9s  %-12s  %s%n", "ID", "NAME", "OWNER", "KIND", "STATE", "EXPIRES");
        for (JsonNode e : list) {
            out.printf("%-36s  %-24s  %-12s  %-9s  %-12s  %s%n", text(e, "id"), text(e, "name"), text(e, "owner"),
                    text(e, "kind"), text(e, "state"), text(e, "expiresAt"));
        }
    }

    void create(String words, boolean wait) throws Failure {
        if (words.isBlank()) {
            throw new Failure(2, "usage: ./genos env create \"a Debian desktop with Python for two hours\"");
        }
        ObjectNode body = json.createObjectNode();
        body.putArray("turns").add(words);
        JsonNode e = call("POST", "api/v1/environments", body, 201);
        String id = text(e, "id");
        if (wait) {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (!List.of("RUNNING", "FAILED", "DESTROYED", "STOPPED").contains(text(e, "state"))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new Failure(1, "still " + text(e, "state") + " after 30 minutes: ./genos env show " + id);
                }
                sleep();
                e = call("GET", "api/v1/environments/" + encode(id), null, 200);
            }
            if (!"RUNNING".equals(text(e, "state"))) {
                if (asJson) {
                    print(e);
                }
                throw new Failure(1, "the environment " + id + " is " + text(e, "state") + ": " + text(e, "stateReason"));
            }
        }
        if (asJson) {
            print(e);
        } else {
            out.println(id + "  " + text(e, "name") + "  " + text(e, "state"));
            if (wait) {
                out.println(text(call("GET", "api/v1/environments/" + encode(id) + "/display", null, 200), "url"));
            }
        }
    }

    void show(String id) throws Failure {
        JsonNode e = call("GET", "api/v1/environments/" + encode(resolve(id)), null, 200);
        if (asJson) {
            print(e);
            return;
        }
        for (String f : List.of("id", "name", "owner", "kind", "state", "stateReason", "image", "displayProtocol",
                "createdAt", "expiresAt")) {
            if (e.hasNonNull(f)) {
                out.printf("%-16s %s%n", f, text(e, f));
            }
        }
        JsonNode packages = e.path("spec").path("packages");
        if (packages.isArray() && !packages.isEmpty()) {
            List<String> names = new ArrayList<>();
            packages.forEach(p -> names.add(clean(p.asString())));
            out.printf("%-16s %s%n", "packages", String.join(" ", names));
        }
    }

    void destroy(String id) throws Failure {
        JsonNode e = call("DELETE", "api/v1/environments/" + encode(resolve(id)), null, 200);
        if (asJson) {
            print(e);
        } else {
            out.println(text(e, "id") + "  " + text(e, "name") + "  " + text(e, "state"));
        }
    }

    void open(String id) throws Failure {
        JsonNode link = call("GET", "api/v1/environments/" + encode(resolve(id)) + "/display", null, 200);
        if (asJson) {
            print(link);
        } else {
            out.println(text(link, "url"));
            if (!link.path("ready").asBoolean()) {
                out.println("(it is " + text(link, "state") + ": the page shows it once it runs)");
            }
        }
    }

    /** A full id, or the one environment whose id starts with it. */
    private String resolve(String id) throws Failure {
        if (id.length() >= 32) {
            return id;
        }
        List<String> matches = new ArrayList<>();
        for (JsonNode e : call("GET", "api/v1/environments", null, 200)) {
            if (text(e, "id").startsWith(id)) {
                matches.add(text(e, "id"));
            }
        }
        if (matches.size() != 1) {
            throw new Failure(1, matches.isEmpty() ? "no environment of yours starts with " + clean(id)
                    : clean(id) + " could be " + String.join(" or ", matches));
        }
        return matches.getFirst();
    }

    private JsonNode call(String method, String path, JsonNode body, int expected) throws Failure {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response;
        byte[] bytes;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_ANSWER + 1);
            }
        } catch (IOException e) {
            throw new Failure(3, "cannot reach the portal at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(3, "interrupted");
        }
        if (bytes.length > MAX_ANSWER) {
            throw new Failure(1, "the portal's answer is over " + MAX_ANSWER + " bytes: refused");
        }
        JsonNode answer;
        try {
            answer = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
        } catch (RuntimeException e) {
            throw new Failure(1, "the portal answered " + response.statusCode() + " with something that is not JSON");
        }
        if (response.statusCode() != expected) {
            if (asJson) {
                print(answer);
            }
            String detail = answer.hasNonNull("detail") ? text(answer, "detail") : "HTTP " + response.statusCode();
            String rule = answer.hasNonNull("rule") ? " [" + text(answer, "rule") + "]" : "";
            JsonNode violations = answer.path("violations");
            StringBuilder message = new StringBuilder(detail + rule);
            if (violations instanceof ArrayNode a) {
                a.forEach(v -> message.append("\n  - ").append(clean(v.asString())));
            }
            throw new Failure(1, message.toString());
        }
        return answer;
    }

    private void print(JsonNode node) {
        // JSON output escapes control characters itself
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "-" : clean(v.isString() ? v.asString() : v.toString());
    }

    /** Text from the portal as it may be printed: no control characters, at most 500 characters. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 500));
        s.codePoints().limit(500).forEach(c -> b.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return b.toString();
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static void sleep() throws Failure {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(3, "interrupted");
        }
    }
}
