package io.genos.portal.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Keycloak (the keycloak-quarkus-dist zip Maven unpacked into target/keycloak) for the Keycloak*IT tests: one per
 * test JVM, started on first use with {@code kc.sh start-dev} on a free loopback port, an in-memory database and the
 * realm of configs/keycloak imported; stopped when the JVM exits. If it does not start, the test fails with its log's
 * end (no skipping). The admin REST API (master realm's bootstrap admin) creates users, disables them, lists sessions.
 */
public final class KeycloakServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static KeycloakServer instance;

    /** Keycloak's base URL, e.g. http://localhost:41234. */
    public final String url;
    /** The secret of the client genos-portal (the realm file takes it from GENOS_KEYCLOAK_CLIENT_SECRET). */
    public final String clientSecret;
    /** How long Keycloak took from kc.sh to the realm's OpenID configuration answering. */
    public final Duration startedIn;

    private final String adminPassword;
    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Set<String> portals = new LinkedHashSet<>();

    private KeycloakServer(String url, String clientSecret, String adminPassword, Process process, Path log,
            Duration startedIn) {
        this.url = url;
        this.clientSecret = clientSecret;
        this.adminPassword = adminPassword;
        this.process = process;
        this.log = log;
        this.startedIn = startedIn;
    }

    /** The test JVM's Keycloak, started on first call. */
    public static synchronized KeycloakServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static KeycloakServer start() {
        Path home = Path.of(System.getProperty("genos.test.keycloak-home", "target/keycloak/keycloak-26.7.3"));
        Path realm = Path.of(System.getProperty("genos.test.keycloak-realm", "../configs/keycloak/genos-realm.json"));
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak at " + home.toAbsolutePath() + ": run the tests through "
                    + "`mvn verify -pl portal` (its unpack-keycloak execution unpacks org.keycloak:keycloak-quarkus-dist "
                    + "there before the integration tests)");
        }
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            Files.copy(realm, imports.resolve("genos-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            int port = freePort();
            String secret = "it-" + UUID.randomUUID();
            String adminPassword = "admin-" + UUID.randomUUID();
            Path log = Path.of("target", "keycloak-it.log").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort(),
                    "--db=dev-mem", "--import-realm")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            env.put("GENOS_KEYCLOAK_CLIENT_SECRET", secret);
            long t0 = System.nanoTime();
            Process process = pb.start();
            String url = "http://localhost:" + port;
            KeycloakServer server = new KeycloakServer(url, secret, adminPassword, process, log, Duration.ZERO);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "keycloak-stop"));
            long deadline = t0 + START_TIMEOUT.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " while starting; "
                            + "the end of " + log + ":\n" + server.logTail());
                }
                if (server.answers(url + "/realms/genos/.well-known/openid-configuration")) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    server.stop();
                    throw new IllegalStateException("Keycloak did not answer within " + START_TIMEOUT.toSeconds()
                            + " s at " + url + "; the end of " + log + ":\n" + server.logTail());
                }
                Thread.sleep(500);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("Keycloak " + url + " started in " + took.toMillis() + " ms (log: " + log + ")");
            return new KeycloakServer(url, secret, adminPassword, process, log, took);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean answers(String where) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(where)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- the admin REST API ----

    private String adminToken() {
        JsonNode t = json.readTree(send(HttpRequest.newBuilder(URI.create(url + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password="
                        + URLEncoder.encode(adminPassword, StandardCharsets.UTF_8))), 200));
        return t.get("access_token").asString();
    }

    private String send(HttpRequest.Builder request, int... expected) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (int e : expected) {
                if (r.statusCode() == e) {
                    return r.body();
                }
            }
            throw new IllegalStateException("Keycloak answered " + r.statusCode() + " to " + r.request().method() + " "
                    + r.request().uri() + ": " + r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(url + "/admin/realms/genos" + path))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json");
    }

    /** Lets a test portal at {@code base} (http://localhost:PORT) sign in and sign out through the realm's client. */
    public synchronized void allowPortal(String base) {
        if (!portals.add(base)) {
            return;
        }
        ObjectNode client = (ObjectNode) json.readTree(send(admin("/clients?clientId=genos-portal").GET(), 200)).get(0);
        ArrayNode redirects = (ArrayNode) client.get("redirectUris");
        redirects.add(base + "/login/oauth2/code/keycloak");
        ObjectNode attributes = (ObjectNode) client.get("attributes");
        attributes.put("post.logout.redirect.uris", attributes.path("post.logout.redirect.uris").asString("") + "##"
                + base + "/");
        send(admin("/clients/" + client.get("id").asString()).PUT(HttpRequest.BodyPublishers.ofString(
                json.writeValueAsString(client))), 204);
    }

    /**
     * Creates a user with a password, the given realm roles and groups (by name); one that exists is left as it is.
     *
     * @return the user's id
     */
    public String createUser(String username, String password, List<String> realmRoles, List<String> groups) {
        ObjectNode user = json.createObjectNode().put("username", username).put("enabled", true)
                .put("email", username + "@example.org").put("emailVerified", true).put("firstName", username)
                .put("lastName", "Test");
        ArrayNode credentials = user.putArray("credentials");
        credentials.addObject().put("type", "password").put("value", password).put("temporary", false);
        ArrayNode g = user.putArray("groups");
        groups.forEach(g::add);
        send(admin("/users").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(user))), 201, 409);
        String id = userId(username);
        if (!realmRoles.isEmpty()) {
            ArrayNode roles = json.createArrayNode();
            for (String role : realmRoles) {
                roles.add(json.readTree(send(admin("/roles/" + role).GET(), 200)));
            }
            send(admin("/users/" + id + "/role-mappings/realm").POST(HttpRequest.BodyPublishers.ofString(
                    json.writeValueAsString(roles))), 204);
        }
        return id;
    }

    public String userId(String username) {
        JsonNode found = json.readTree(send(admin("/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8)).GET(), 200));
        if (found.isEmpty()) {
            throw new IllegalStateException("Keycloak has no user " + username);
        }
        return found.get(0).get("id").asString();
    }

    /**
     * An access token for the user from the realm's public client {@code genos-cli} (password grant), as a script
     * gets one; empty when Keycloak refuses (a disabled user, a wrong password).
     */
    public java.util.Optional<String> userToken(String username, String password) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url
                            + "/realms/genos/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=genos-cli&username="
                            + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                            + URLEncoder.encode(password, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? java.util.Optional.of(json.readTree(r.body()).get("access_token").asString())
                    : java.util.Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Enables or disables the user, as an admin does in Keycloak's console. */
    public void setEnabled(String username, boolean enabled) {
        send(admin("/users/" + userId(username)).PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enabled
                + "}")), 204);
    }

    /** Takes a realm role away from the user. */
    public void removeRealmRole(String username, String role) {
        ArrayNode roles = json.createArrayNode();
        roles.add(json.readTree(send(admin("/roles/" + role).GET(), 200)));
        send(admin("/users/" + userId(username) + "/role-mappings/realm").method("DELETE",
                HttpRequest.BodyPublishers.ofString(json.writeValueAsString(roles))), 204);
    }

    /** The ids of the user's Keycloak sessions. */
    public List<String> sessions(String username) {
        List<String> ids = new ArrayList<>();
        json.readTree(send(admin("/users/" + userId(username) + "/sessions").GET(), 200))
                .forEach(s -> ids.add(s.get("id").asString()));
        return ids;
    }
}
