package io.genos.composer.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.composer.ComposeResult;
import io.genos.composer.Composer;
import io.genos.composer.llm.LlmSettings.Provider;
import io.genos.composer.llm.StubLlmServer.Reply;
import io.genos.spec.Violation;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.policy.PolicyGate;
import io.genos.spec.policy.PolicyLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The composer as the portal would use it: settings in, {@link ComposeResult} out, against a local stub. */
class LlmComposerTest {

    private static final String SPEC = """
            {"apiVersion":"genos/v1","name":"debian-xfce","kind":"container",
             "os":{"family":"linux","distro":"debian","version":"12"},"desktop":"xfce",
             "resources":{"cpus":4,"memoryMiB":8192}}""";

    private static LlmSettings settings(StubLlmServer stub) {
        return new LlmSettings(Provider.OPENAI, stub.openAiBaseUrl(), null, "stub-model", Duration.ofSeconds(5), 2);
    }

    @Test
    void returnsTheAnsweredSpecWithTheCatalogsWarningsAndNoViolations() throws Exception {
        try (StubLlmServer stub = new StubLlmServer(Reply.answer(SPEC))) {
            Composer composer = new LlmComposer(settings(stub));
            ComposeResult r = composer.compose(List.of("a Debian XFCE desktop with 4 CPUs and 8 GB"));
            assertThat(r.allowed()).isTrue();
            assertThat(r.spec().resources().memoryMiB()).isEqualTo(8192);
            assertThat(r.spec().image()).isNull();
            assertThat(stub.received().getFirst().header("Authorization")).as("no key configured")
                    .isEqualTo("Bearer no-key");
        }
    }

    @Test
    void checksTheAnswerAgainstTheGatesOwnLimits() throws Exception {
        try (StubLlmServer stub = new StubLlmServer(Reply.answer(SPEC))) {
            PolicyLimits two = new PolicyLimits(1, 2, PolicyLimits.DEFAULTS.minMemoryMiB(),
                    PolicyLimits.DEFAULTS.maxMemoryMiB(), PolicyLimits.DEFAULTS.minDiskGiB(),
                    PolicyLimits.DEFAULTS.maxDiskGiB(), PolicyLimits.DEFAULTS.maxGpus(), PolicyLimits.DEFAULTS.maxTtl());
            ComposeResult r = new LlmComposer(settings(stub), Catalog.builtIn(), new PolicyGate(two))
                    .compose(List.of("a Debian XFCE desktop with 4 CPUs"));
            assertThat(r.violations()).extracting(Violation::field).containsExactly("resources.cpus");
            assertThat(r.spec().resources().cpus()).isEqualTo(4);
        }
    }

    @Test
    void badTurnsAreRefusedBeforeAnyCall() throws Exception {
        try (StubLlmServer stub = new StubLlmServer(Reply.answer(SPEC))) {
            Composer composer = new LlmComposer(settings(stub));
            assertThatThrownBy(() -> composer.compose(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> composer.compose(List.of("debian", "  "))).hasMessage("turn 2 is empty");
            assertThat(stub.received()).isEmpty();
        }
    }
}
