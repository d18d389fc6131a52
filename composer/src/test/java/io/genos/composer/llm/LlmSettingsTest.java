package io.genos.composer.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.composer.ComposerUnavailableException;
import io.genos.composer.llm.LlmSettings.Provider;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSettingsTest {

    @Test
    void readsEveryVariableFromTheEnvironment() {
        Map<String, String> env = Map.of("GENOS_LLM_BASE_URL", " http://llm.internal:8000/v1 ", "GENOS_LLM_API_KEY", "k-1234",
                "GENOS_LLM_MODEL", "qwen2.5", "GENOS_LLM_TIMEOUT", "1500ms", "GENOS_LLM_RETRIES", "4");
        LlmSettings s = LlmSettings.fromEnvironment(Provider.OPENAI, env::get);
        assertThat(s).isEqualTo(new LlmSettings(Provider.OPENAI, "http://llm.internal:8000/v1", "k-1234", "qwen2.5",
                Duration.ofMillis(1500), 4));
        assertThat(s.maxCalls()).isEqualTo(5);
    }

    @Test
    void defaultsToSixtySecondsAndTwoRetries() {
        LlmSettings s = LlmSettings.fromEnvironment(Provider.OLLAMA,
                Map.of("GENOS_LLM_BASE_URL", "http://localhost:11434", "GENOS_LLM_MODEL", "llama3.1")::get);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxRetries()).isEqualTo(2);
        assertThat(s.apiKey()).isNull();
    }

    @Test
    void readsTimeoutsInTheUsualForms() {
        assertThat(LlmSettings.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LlmSettings.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LlmSettings.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LlmSettings.parseDuration("PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> LlmSettings.parseDuration("a while")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingOrMalformedVariablesAreNamedInTheError() {
        assertThatThrownBy(() -> LlmSettings.fromEnvironment(Provider.OPENAI, Map.<String, String>of()::get))
                .isInstanceOf(ComposerUnavailableException.class).hasMessageContaining("no LLM is configured")
                .hasMessageContaining("GENOS_LLM_BASE_URL");
        assertThatThrownBy(() -> LlmSettings.fromEnvironment(Provider.OPENAI, Map.of("GENOS_LLM_BASE_URL",
                "http://x", "GENOS_LLM_MODEL", "m", "GENOS_LLM_RETRIES", "many")::get))
                .hasMessageContaining("GENOS_LLM_RETRIES");
        assertThatThrownBy(() -> LlmSettings.fromEnvironment(Provider.OPENAI, Map.of("GENOS_LLM_BASE_URL",
                "http://x", "GENOS_LLM_MODEL", "m", "GENOS_LLM_RETRIES", "1000")::get))
                .hasMessageContaining("between 0 and 10");
    }

    @Test
    void refusesUnusableValues() {
        assertThatThrownBy(() -> new LlmSettings(Provider.OPENAI, "http://user:pw@host/v1", null, "m",
                Duration.ofSeconds(1), 0)).hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> new LlmSettings(Provider.OPENAI, "http://host/v1", null, "m", Duration.ZERO, 0))
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> Provider.parse("gpt")).hasMessageContaining("use openai or ollama");
        assertThat(Provider.parse(" OpenAI ")).isEqualTo(Provider.OPENAI);
    }

    @Test
    void neverShowsTheKeyInToString() {
        LlmSettings s = LlmSettings.of(Provider.OPENAI, "https://api.example/v1", "sk-abcdefghijkl", "m");
        assertThat(s.toString()).doesNotContain("sk-abcdefghijkl").contains("apiKey=[REDACTED]");
    }
}
