package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.portal.security.ApiTokens;
import io.genos.portal.security.UserDirectory;
import io.genos.portal.service.Actor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole life of an environment through the REST API with a personal token, as a script would do it: plain HTTP
 * requests with JSON bodies, no client library. The token is made in Chromium on the API tokens page (shown once).
 * Then: no token and a wrong token are refused (401, problem+json); compose; a policy refusal names its rule;
 * create; the event stream carries its state changes up to RUNNING; the display link; another user's token is refused
 * on it (403); a snapshot; destroy. The CLI does the same from a shell ({@code ./genos env create|list|show|open|
 * destroy}, with {@code --json} too). A revoked token and a disabled user's token stop working.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiLifecycleIT {

    private static final Path HOME = tempHome("genos-api-e2e-");
    private static final String OWNER = "rita";
    private static final String OTHER = "sam";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    ApiTokens tokens;

    @Autowired
    UserDirectory directory;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> created = new ArrayList<>();

    record Answer(int status, String contentType, JsonNode body, String location) {}

    private Answer call(String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body,
                r.headers().firstValue("Location").orElse(null));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : created) {
            io.genos.portal.support.Docker.removeLabelled("io.genos.environment=" + id);
        }
    }

    @Test
    void aScriptDrivesTheWholeLifeOfAnEnvironmentWithAToken() throws Exception {
        ensureUser(users, encoder, OWNER, "rita-pass-1");
        ensureUser(users, encoder, OTHER, "sam-pass-12");
        String token = tokenFromThePage();
        String other = tokens.create(OTHER, "sam's script", Duration.ofDays(1)).token();

        // no token, a wrong one: 401 with a problem document
        Answer none = call(null, "GET", "/api/v1/environments", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.body().path("rule").asString()).isEqualTo("token");
        assertThat(none.body().path("detail").asString()).contains("Bearer genos_…");
        assertThat(call("genos_aaaaaaaaaaaa_" + "x".repeat(43), "GET", "/api/v1/environments", null).status())
                .isEqualTo(401);

        // compose: a spec and what policy says, nothing launched
        Answer composed = call(token, "POST", "/api/v1/compose", "{\"turns\":[\"a Debian shell container for an hour\"]}");
        assertThat(composed.status()).isEqualTo(200);
        assertThat(composed.body().path("launchable").asBoolean()).isTrue();
        assertThat(composed.body().path("spec").path("kind").asString()).isEqualTo("container");
        assertThat(call(token, "GET", "/api/v1/environments", null).body()).isEmpty();
        // nothing said about a lifetime: it gets the default one (24 hours), and is told so
        Answer unbounded = call(token, "POST", "/api/v1/compose", "{\"turns\":[\"a Debian shell container\"]}");
        assertThat(unbounded.body().path("spec").path("lifetime").path("ttl").asString()).isEqualTo("PT24H");
        assertThat(unbounded.body().path("warnings").toString()).contains("No lifetime was asked for");

        // policy refuses too much memory, naming the rule and the field; nothing is created
        String greedy = JSON.writeValueAsString(composed.body().path("spec")).replaceFirst("\"memoryMiB\":\\d+",
                "\"memoryMiB\":99999999");
        Answer refused = call(token, "POST", "/api/v1/environments", "{\"spec\":" + greedy + "}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().path("rule").asString()).isEqualTo("policy");
        assertThat(refused.body().path("violations").toString()).contains("resources.memoryMiB");
        assertThat(call(token, "GET", "/api/v1/environments", null).body()).isEmpty();

        // the event stream, opened before the launch
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> sse = stream.get(20, TimeUnit.SECONDS);
        assertThat(sse.statusCode()).isEqualTo(200);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                sse.body().forEach(events::add);
            } catch (java.io.UncheckedIOException closedByTheTest) {
                // the test closes the stream when it has read enough
            }
        });

        Answer launched = call(token, "POST", "/api/v1/environments",
                "{\"spec\":" + JSON.writeValueAsString(composed.body().path("spec")) + "}");
        assertThat(launched.status()).isEqualTo(201);
        String id = launched.body().path("id").asString();
        created.add(id);
        assertThat(launched.location()).endsWith("/api/v1/environments/" + id);
        assertThat(launched.body().path("owner").asString()).isEqualTo(OWNER);

        await().atMost(Duration.ofSeconds(120)).until(() -> List.copyOf(events).stream()
                .anyMatch(l -> l.startsWith("data:") && l.contains(id) && l.contains("\"to\":\"RUNNING\"")));
        assertThat(List.copyOf(events)).contains("event:state").anyMatch(l -> l.contains("\"to\":\"PROVISIONING\""));
        assertThat(call(token, "GET", "/api/v1/environments/" + id, null).body().path("state").asString())
                .isEqualTo("RUNNING");

        Answer display = call(token, "GET", "/api/v1/environments/" + id + "/display", null);
        assertThat(display.body().path("url").asString()).isEqualTo("http://localhost:" + port + "/session/" + id);
        assertThat(display.body().path("ready").asBoolean()).isTrue();

        // another user's token sees nothing of it
        Answer foreign = call(other, "GET", "/api/v1/environments/" + id, null);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body().path("rule").asString()).isEqualTo("owner-or-admin");
        assertThat(call(other, "GET", "/api/v1/environments", null).body()).isEmpty();
        assertThat(call(other, "DELETE", "/api/v1/environments/" + id, null).status()).isEqualTo(403);

        Answer snapshot = call(token, "POST", "/api/v1/environments/" + id + "/snapshots", "{\"name\":\"first\"}");
        assertThat(snapshot.status()).isEqualTo(201);
        assertThat(call(token, "GET", "/api/v1/environments/" + id + "/snapshots", null).body().toString())
                .contains("\"name\":\"first\"");
        Answer badName = call(token, "POST", "/api/v1/environments/" + id + "/snapshots", "{\"name\":\"Bad Name!\"}");
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badName.body().path("detail").asString()).contains("lower-case letters");

        Answer history = call(token, "GET", "/api/v1/environments/" + id + "/history", null);
        assertThat(history.body().toString()).contains("RUNNING");

        Answer destroyed = call(token, "DELETE", "/api/v1/environments/" + id, null);
        assertThat(destroyed.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> call(token, "GET", "/api/v1/environments/" + id, null)
                .body().path("state").asString().equals("DESTROYED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> List.copyOf(events).stream()
                .anyMatch(l -> l.contains(id) && l.contains("\"to\":\"DESTROYED\"")));
        sse.body().close();
        reader.interrupt();

        // the same from a shell
        cli(token, id);

        // a revoked token stops at once; a disabled user's tokens too
        String tokenId = token.split("_")[1];
        assertThat(call(token, "DELETE", "/api/v1/tokens/" + tokenId, null).status()).isEqualTo(204);
        assertThat(call(token, "GET", "/api/v1/environments", null).status()).isEqualTo(401);
        assertThat(call(other, "GET", "/api/v1/environments", null).status()).isEqualTo(200);
        directory.setEnabled(OTHER, false, Actor.system("admin"));
        assertThat(call(other, "GET", "/api/v1/environments", null).status()).isEqualTo(401);
    }

    /** Signs in as the owner, makes a token on the API tokens page and reads it from the page (its only showing). */
    private String tokenFromThePage() throws IOException {
        try (Browser b = new Browser("http://localhost:" + port, "api-token")) {
            b.signIn(OWNER, "rita-pass-1");
            b.open("/tokens");
            b.awaitElement("#token-name input").sendKeys("ci script");
            b.driver.findElement(By.id("make-token")).click();
            String token = b.await(Duration.ofSeconds(15), d -> {
                Object v = b.js("return document.getElementById('new-token')?.value");
                return v instanceof String s && s.startsWith("genos_") ? s : null;
            });
            b.await(Duration.ofSeconds(15), d -> d.findElement(By.id("tokens")).getText().contains("ci script") ? true : null);
            b.screenshot("token-made");
            // only its hash is kept
            assertThat(tokens.list(OWNER)).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("ci script"));
            return token;
        }
    }

    /** ./genos env against this portal, with this build of the CLI. */
    private void cli(String token, String destroyedId) throws Exception {
        Cli cli = new Cli(token);
        Cli.Result made = cli.run("create", "a Debian shell container for an hour", "--wait", "--json");
        assertThat(made.code()).as(made.err()).isZero();
        JsonNode env = JSON.readTree(made.out());
        String id = env.path("id").asString();
        created.add(id);
        assertThat(env.path("state").asString()).isEqualTo("RUNNING");

        Cli.Result list = cli.run("list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains(id).contains("RUNNING").contains(destroyedId).contains("DESTROYED");
        assertThat(JSON.readTree(cli.run("list", "--json").out()).toString()).contains(id);

        Cli.Result show = cli.run("show", id.substring(0, 8));
        assertThat(show.out()).contains(id).contains("state            RUNNING");
        assertThat(cli.run("open", id).out().strip()).isEqualTo("http://localhost:" + port + "/session/" + id);

        Cli.Result greedy = cli.run("create", "a Debian desktop with 9000 GB of memory");
        assertThat(greedy.code()).isEqualTo(1);
        assertThat(greedy.err()).contains("[policy]").contains("memory");

        Cli.Result gone = cli.run("destroy", id, "--json");
        assertThat(gone.code()).as(gone.err()).isZero();
        assertThat(JSON.readTree(gone.out()).path("id").asString()).isEqualTo(id);
        assertThat(new Cli("genos_aaaaaaaaaaaa_" + "x".repeat(43)).run("list").code()).isEqualTo(1);
    }

    private final class Cli {
        record Result(int code, String out, String err) {}

        /** The CLI's classes and Jackson's, where this test run has them (failsafe's own class path is one jar). */
        static final String CLASSPATH = Stream.of(io.genos.cli.EnvCli.class, JsonMapper.class,
                        tools.jackson.core.JsonParser.class, com.fasterxml.jackson.annotation.JsonProperty.class)
                .map(c -> Path.of(URI.create(c.getProtectionDomain().getCodeSource().getLocation().toString())).toString())
                .distinct().collect(java.util.stream.Collectors.joining(":"));

        private final String token;

        Cli(String token) {
            this.token = token;
        }

        Result run(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("./genos", "env"));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of("..").toAbsolutePath().normalize().toFile());
            pb.environment().put("GENOS_URL", "http://localhost:" + port);
            pb.environment().put("GENOS_TOKEN", token);
            pb.environment().put("GENOS_CLI_CLASSPATH", CLASSPATH);
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
            return new Result(p.exitValue(), out, err.get());
        }

        private static String read(java.io.InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
