package io.genos.composer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.genos.composer.llm.StubLlmServer;
import io.genos.composer.llm.StubLlmServer.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code genos compose} as {@code ./genos} starts it (a fresh JVM on {@code target/classes} plus
 * {@code target/classpath.txt}), with and without an LLM: the offline path loads nothing of the LLM composer, the LLM
 * path keeps standard output to the one JSON object, and its audit log on standard error never shows the API key.
 */
class LlmComposeCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private record Result(int status, String out, String err, long millis) {}

    private static Result cli(Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path target = Path.of("target");
        String cp = target.resolve("classes") + ":" + Files.readString(target.resolve("classpath.txt")).strip();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, "io.genos.composer.cli.ComposeCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("GENOS_LLM_"));
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8), millis);
    }

    @Test
    void theOfflinePathLoadsNothingOfTheLlmComposer() throws Exception {
        Path log = tmp.resolve("classes.log");
        Result r = cli(Map.of(), List.of("-Xlog:class+load=info:file=" + log), "--json", "a debian desktop");
        assertThat(r.status()).isZero();
        String loaded = Files.readString(log);
        assertThat(loaded).contains("io.genos.composer.cli.ComposeCli ");
        assertThat(loaded).doesNotContain("dev.langchain4j").doesNotContain("io.genos.composer.llm")
                .doesNotContain("io.genos.composer.cli.LlmChoice").doesNotContain("com.networknt")
                .doesNotContain("org.slf4j");
        cli(Map.of(), List.of(), "--json", "a debian desktop"); // warm the file cache
        Result timed = cli(Map.of(), List.of(), "--json", "a debian desktop");
        assertThat(timed.status()).isZero();
        System.out.println("offline compose CLI wall time: " + timed.millis() + " ms");
    }

    @Test
    void theLlmPathPrintsOneJsonObjectAndItsAuditLogNeverShowsTheKey() throws Exception {
        String key = "sk-live-2b7e151628aed2a6abf71588";
        try (StubLlmServer stub = new StubLlmServer(Reply.answer("{\"oops\": true}"),
                Reply.answer(LlmComposeCliTest.GOOD))) {
            Result r = cli(Map.of("GENOS_LLM_BASE_URL", stub.openAiBaseUrl(), "GENOS_LLM_MODEL", "stub-model",
                    "GENOS_LLM_API_KEY", key), List.of(), "--json", "--llm", "openai",
                    "a debian shell with python and git; my token=hunter2hunter2 and Bearer abcdef0123456789");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out().strip().lines()).hasSize(1);
            assertThat(JSON.readTree(r.out()).get("spec")).isEqualTo(JSON.readTree(LlmComposeCliTest.GOOD));
            assertThat(stub.received()).hasSize(2);
            assertThat(stub.received().getFirst().header("Authorization")).isEqualTo("Bearer " + key);

            assertThat(r.err()).contains("genos.audit.llm").contains("openai prompt").contains("openai answer")
                    .contains("openai rejected").contains("a debian shell with python and git")
                    .contains("\"python-debian-12\"").contains("[REDACTED]");
            assertThat(r.err()).doesNotContain(key).doesNotContain("hunter2hunter2").doesNotContain("abcdef0123456789");
            System.out.println("LLM compose CLI wall time (local stub, one retry): " + r.millis() + " ms");
        }
    }

    @Test
    void aTimeoutInAFreshJvmEndsWithFiveAndAMessageNotAStackTrace() throws Exception {
        try (StubLlmServer stub = new StubLlmServer(Reply.slow(Duration.ofSeconds(5), "{}"))) {
            Result r = cli(Map.of("GENOS_LLM_PROVIDER", "openai", "GENOS_LLM_BASE_URL", stub.openAiBaseUrl(),
                    "GENOS_LLM_MODEL", "stub-model", "GENOS_LLM_TIMEOUT", "500ms", "GENOS_LLM_RETRIES", "1"),
                    List.of(), "a debian shell");
            assertThat(r.status()).isEqualTo(5);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains("genos compose: the LLM (openai model stub-model at " + stub.openAiBaseUrl()
                    + ") timed out: no answer within 500 ms; gave up after 2 calls").doesNotContain("\tat ");
            assertThat(stub.received()).hasSize(2);
            System.out.println("LLM timeout in a fresh JVM (2 x 500 ms): " + r.millis() + " ms");
        }
    }
}
