package io.genos.composer.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is logged: the configured API key wherever it appears, Authorization headers,
 * bearer tokens, {@code key=value}-style credentials and OpenAI-style {@code sk-...} keys.
 */
final class Redactor {

    static final String MASK = "[REDACTED]";

    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("(?i)(\\bauthorization\"?\\s*[:=]\\s*\"?)(?:bearer\\s+|basic\\s+)?[^\\s\",;]+"),
            Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{6,}"),
            Pattern.compile("(?i)(\\b(?:api[_-]?key|access[_-]?key|secret[_-]?key|key|token|access[_-]?token|secret"
                    + "|password|passwd|pwd)\"?\\s*[=:]\\s*\"?)[^\\s\",;&]+"),
            Pattern.compile("()\\bsk-[A-Za-z0-9_-]{8,}"));

    private final List<String> secrets;

    Redactor(String... secrets) {
        List<String> s = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                s.add(secret);
            }
        }
        this.secrets = List.copyOf(s);
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(out);
            out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
        }
        return out;
    }
}
