package io.genos.composer.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor("my-secret-key-123");

    @Test
    void removesTheConfiguredKeyWhereverItAppears() {
        assertThat(redactor.redact("url?k=xmy-secret-key-123x and again my-secret-key-123"))
                .isEqualTo("url?k=x[REDACTED]x and again [REDACTED]");
    }

    @Test
    void removesAuthorizationHeadersAndBearerTokens() {
        assertThat(redactor.redact("Authorization: Bearer abc.def-ghi")).isEqualTo("Authorization: [REDACTED]");
        assertThat(redactor.redact("{\"authorization\":\"Basic dXNlcjpwYXNz\"}"))
                .isEqualTo("{\"authorization\":\"[REDACTED]\"}");
        assertThat(redactor.redact("use bearer eyJhbGciOiJIUzI1NiJ9.e30 please")).isEqualTo("use bearer [REDACTED] please");
    }

    @Test
    void removesKeyValueCredentialsAndOpenAiStyleKeys() {
        assertThat(redactor.redact("api_key=abc123 token: zzz9 password=\"p4ss\" x"))
                .isEqualTo("api_key=[REDACTED] token: [REDACTED] password=\"[REDACTED]\" x");
        assertThat(redactor.redact("key sk-proj-ABCDEF1234567890 leaked")).isEqualTo("key [REDACTED] leaked");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "a Debian desktop with 4 GB of RAM, python3 and git; \"memoryMiB\":4096";
        assertThat(redactor.redact(text)).isEqualTo(text);
        assertThat(new Redactor((String) null).redact("nothing configured")).isEqualTo("nothing configured");
    }
}
