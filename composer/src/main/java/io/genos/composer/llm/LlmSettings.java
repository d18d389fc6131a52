package io.genos.composer.llm;

import io.genos.composer.ComposerUnavailableException;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which LLM the composer asks and how: the provider (an OpenAI-compatible endpoint or Ollama), its base URL, the API
 * key (may be null, e.g. for Ollama or a local server), the model, the timeout of one call and how many times a
 * rejected or failed answer is asked again. A plain record so that the CLI (from environment variables) and the
 * portal (from its configuration) both build it. {@link #toString()} never shows the key.
 *
 * @param baseUrl for OpenAI-compatible endpoints the URL that {@code /chat/completions} is appended to, e.g.
 *     {@code https://api.openai.com/v1}; for Ollama its root, e.g. {@code http://localhost:11434}
 */
public record LlmSettings(Provider provider, String baseUrl, String apiKey, String model, Duration timeout,
        int maxRetries) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_RETRIES = 2;
    /** Upper bound for {@code maxRetries}: the number of calls must stay small whatever the configuration says. */
    public static final int MAX_RETRIES = 10;

    public static final String ENV_PROVIDER = "GENOS_LLM_PROVIDER";
    public static final String ENV_BASE_URL = "GENOS_LLM_BASE_URL";
    public static final String ENV_API_KEY = "GENOS_LLM_API_KEY";
    public static final String ENV_MODEL = "GENOS_LLM_MODEL";
    public static final String ENV_TIMEOUT = "GENOS_LLM_TIMEOUT";
    public static final String ENV_RETRIES = "GENOS_LLM_RETRIES";

    /** The kinds of endpoint LangChain4j is asked to speak to. */
    public enum Provider {
        /** Any server with OpenAI's {@code POST /chat/completions} (OpenAI, vLLM, llama.cpp, LM Studio, ...). */
        OPENAI,
        /** Ollama's own {@code POST /api/chat}. */
        OLLAMA;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "openai" or "ollama", in any case. */
        public static Provider parse(String s) {
            String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "openai" -> OPENAI;
                case "ollama" -> OLLAMA;
                default -> throw new IllegalArgumentException("unknown LLM provider '" + s + "': use openai or ollama");
            };
        }
    }

    public LlmSettings {
        Objects.requireNonNull(provider, "provider");
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("the LLM's base URL is not set");
        }
        baseUrl = baseUrl.strip();
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the LLM's base URL is not a URL: " + baseUrl);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the LLM's base URL must be an http or https URL with a host: " + baseUrl);
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("the LLM's base URL must not carry credentials; set the API key instead");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("the LLM's model is not set");
        }
        model = model.strip();
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the LLM's timeout must be positive, not " + timeout);
        }
        if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
            throw new IllegalArgumentException("the LLM's retries must be between 0 and " + MAX_RETRIES + ", not "
                    + maxRetries);
        }
    }

    /** With the default timeout (60 s) and retries (2). */
    public static LlmSettings of(Provider provider, String baseUrl, String apiKey, String model) {
        return new LlmSettings(provider, baseUrl, apiKey, model, DEFAULT_TIMEOUT, DEFAULT_RETRIES);
    }

    /**
     * Reads {@code GENOS_LLM_BASE_URL}, {@code GENOS_LLM_API_KEY}, {@code GENOS_LLM_MODEL}, {@code GENOS_LLM_TIMEOUT}
     * (seconds, or {@code 500ms}, {@code 30s}, {@code 2m}, {@code PT30S}) and {@code GENOS_LLM_RETRIES} for the given
     * provider.
     *
     * @throws ComposerUnavailableException when no LLM is configured or a variable is malformed, naming the variable
     */
    public static LlmSettings fromEnvironment(Provider provider, Function<String, String> env) {
        String baseUrl = get(env, ENV_BASE_URL);
        if (baseUrl == null) {
            throw new ComposerUnavailableException("no LLM is configured for provider '" + provider.id() + "': set "
                    + ENV_BASE_URL + " and " + ENV_MODEL + " (and " + ENV_API_KEY + " if the endpoint needs one), "
                    + "or run without --llm");
        }
        String model = get(env, ENV_MODEL);
        if (model == null) {
            throw new ComposerUnavailableException("the LLM for provider '" + provider.id() + "' has no model: set "
                    + ENV_MODEL);
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String t = get(env, ENV_TIMEOUT);
        if (t != null) {
            try {
                timeout = parseDuration(t);
            } catch (IllegalArgumentException e) {
                throw new ComposerUnavailableException(ENV_TIMEOUT + " is not a duration: '" + t
                        + "' (use seconds, or 500ms, 30s, 2m, PT30S)");
            }
        }
        int retries = DEFAULT_RETRIES;
        String r = get(env, ENV_RETRIES);
        if (r != null) {
            try {
                retries = Integer.parseInt(r);
            } catch (NumberFormatException e) {
                throw new ComposerUnavailableException(ENV_RETRIES + " is not a whole number: '" + r + "'");
            }
        }
        try {
            return new LlmSettings(provider, baseUrl, get(env, ENV_API_KEY), model, timeout, retries);
        } catch (IllegalArgumentException e) {
            throw new ComposerUnavailableException("the LLM configuration is not usable: " + e.getMessage());
        }
    }

    private static String get(Function<String, String> env, String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    static Duration parseDuration(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            if (v.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.matches("\\d+s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.matches("\\d+m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration: " + s, e);
        }
        throw new IllegalArgumentException("not a duration: " + s);
    }

    /** Calls made at most: the first one and its retries. */
    public int maxCalls() {
        return maxRetries + 1;
    }

    /** Without the API key. */
    @Override
    public String toString() {
        return "LlmSettings[provider=" + provider.id() + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "[REDACTED]") + ", model=" + model + ", timeout=" + timeout
                + ", maxRetries=" + maxRetries + "]";
    }
}
