package io.genos.portal.metrics;

import static io.genos.portal.support.Docker.removeLabelled;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.portal.service.Actor;
import io.genos.portal.service.EnvironmentService;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Resources;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Health and metrics against a real Prometheus (Debian's {@code prometheus} 2.42, started here on a loopback port,
 * scraping the portal every second): {@code /actuator/health} says dockerd and the database are up, without signing
 * in; after a launch, Prometheus's own HTTP API returns the launch-latency histogram for containers and the count of
 * running environments, as a dashboard would query them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsIT {

    private static final Path HOME = tempHome("genos-metrics-");
    private static final Path PROMETHEUS = tempHome("genos-prometheus-");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Process prometheus;
    private static volatile String launched;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("genos.home", HOME::toString);
        r.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    @Autowired
    EnvironmentService service;

    @Autowired
    Environments environments;

    @AfterAll
    static void stop() throws Exception {
        if (launched != null) {
            removeLabelled("io.genos.environment=" + launched);
        }
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
        try (var walk = Files.walk(PROMETHEUS)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** What Prometheus answers to an instant query: its result vector. */
    private static JsonNode query(int promPort, String promql) throws Exception {
        JsonNode answer = JSON.readTree(get("http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        assertThat(answer.path("status").asString("")).as(answer.toString()).isEqualTo("success");
        return answer.path("data").path("result");
    }

    @Test
    void healthSaysWhatIsUpAndAPrometheusReadsTheLaunchHistogram() throws Exception {
        JsonNode health = JSON.readTree(get("http://127.0.0.1:" + port + "/actuator/health"));
        assertThat(health.path("status").asString("")).as(health.toString()).isEqualTo("UP");
        assertThat(health.path("components").path("runtimes").path("components").path("docker").path("status")
                .asString("")).as(health.toString()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asString("")).isEqualTo("UP");

        int promPort = freePort();
        Path config = PROMETHEUS.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: genos
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + PROMETHEUS.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(PROMETHEUS.resolve("prometheus.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> query(promPort, "up{job=\"genos\"}").path(0).path("value").path(1).asString("").equals("1"));

        Actor mia = new Actor("mia", false, List.of("ROLE_USER"));
        Environment e = service.launch(EnvironmentSpec.builder().name("measured").image("debian-shell")
                .resources(new Resources(1, 512, null, null)).build(), List.of(), mia);
        launched = e.id();
        await().atMost(Duration.ofSeconds(60)).until(() -> environments.find(e.id()).orElseThrow().state(),
                s -> s == EnvironmentState.RUNNING || s == EnvironmentState.FAILED);
        assertThat(environments.find(e.id()).orElseThrow().state()).isEqualTo(EnvironmentState.RUNNING);

        // read back from Prometheus itself, as a dashboard does
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> query(promPort,
                "genos_launch_duration_seconds_count{kind=\"container\",outcome=\"running\"}").path(0).path("value")
                .path(1).asString("0").equals("1"));
        JsonNode buckets = query(promPort, "genos_launch_duration_seconds_bucket{kind=\"container\"}");
        assertThat(buckets.size()).as("a histogram: one series per bucket").isGreaterThan(5);
        JsonNode median = query(promPort, "histogram_quantile(0.5, sum by (le) (genos_launch_duration_seconds_bucket))");
        assertThat(median.path(0).path("value").path(1).asDouble(-1)).as("a median launch time in seconds")
                .isBetween(0.01, 60.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> query(promPort, "genos_environments{state=\"running\"}")
                .path(0).path("value").path(1).asString("0"), v -> Double.parseDouble(v) >= 1);

        service.destroy(e.id(), mia);
    }
}
