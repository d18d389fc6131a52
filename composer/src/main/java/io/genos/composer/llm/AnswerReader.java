package io.genos.composer.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Lifetime;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads an LLM's answer as untrusted input: exactly one JSON object (an enclosing Markdown code fence is tolerated,
 * nothing else), no duplicate keys, valid against the contract's {@code environment-spec.schema.json} (unknown fields
 * other than {@code x-*} rejected, types, enums, patterns and minimums checked), plus what the schema leaves open
 * but a spec the orchestrator acts on must not carry: package and host names that are not names, integers too large
 * to hold. Values are never changed: 512 CPUs stay 512 for policy to refuse.
 */
final class AnswerReader {

    /** Answers longer than this are refused before parsing. */
    static final int MAX_ANSWER_CHARS = 32_768;
    /** The key of the answer that says the conversation does not ask for an environment. */
    static final String NOT_A_REQUEST = "x-not-a-request";

    static final String SCHEMA_RESOURCE = "/io/genos/composer/llm/environment-spec.schema.json";

    private static final Pattern PACKAGE = Pattern.compile("^[a-z0-9][a-z0-9+.-]{0,99}$");
    private static final Pattern HOST = Pattern.compile("^(?:\\*\\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*(?::\\d{1,5})?$|^\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,2})?$");
    private static final Pattern SHORT_TEXT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private static final JsonSchema SCHEMA = loadSchema();

    /** What the answer said: a spec, or that the conversation asks for no environment. */
    sealed interface Answer {}

    record SpecAnswer(EnvironmentSpec spec) implements Answer {}

    record NotARequest(String reason) implements Answer {}

    /** The answer cannot be used; {@code errors} are the lines the model is shown when asked again. */
    static final class InvalidAnswer extends Exception {
        private final List<String> errors;

        InvalidAnswer(List<String> errors) {
            super(String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        InvalidAnswer(String error) {
            this(List.of(error));
        }

        List<String> errors() {
            return errors;
        }
    }

    private AnswerReader() {}

    /** Loads the validator and the schema now (the first {@link #read} would otherwise). */
    static void load() {
        SCHEMA.getSchemaNode();
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = AnswerReader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + SCHEMA_RESOURCE + " is missing from the build");
            }
            ObjectNode node = (ObjectNode) new ObjectMapper().readTree(in);
            // the contract's $id is relative, which the validator refuses as a base URI: give it an absolute one
            node.put("$id", "https://genos.invalid/" + node.get("$id").asText());
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer read(String answer) throws InvalidAnswer {
        if (answer == null || answer.isBlank()) {
            throw new InvalidAnswer("the answer was empty; answer with one JSON object");
        }
        if (answer.length() > MAX_ANSWER_CHARS) {
            throw new InvalidAnswer("the answer was " + answer.length() + " characters long; a spec is one small JSON "
                    + "object");
        }
        String text = unfence(answer.strip());
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidAnswer("the answer is not one JSON object: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidAnswer("the answer is not a JSON object but " + (root == null ? "nothing"
                    : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        if (root.has(NOT_A_REQUEST)) {
            return notARequest(root);
        }
        List<String> errors = new ArrayList<>();
        TreeSet<String> schemaErrors = new TreeSet<>();
        for (ValidationMessage m : SCHEMA.validate(root)) {
            schemaErrors.add(m.getMessage());
        }
        errors.addAll(schemaErrors);
        if (errors.isEmpty()) {
            extraChecks(root, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidAnswer(errors);
        }
        return new SpecAnswer(toSpec(root));
    }

    private static Answer notARequest(JsonNode root) throws InvalidAnswer {
        JsonNode reason = root.get(NOT_A_REQUEST);
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.startsWith("x-")) {
                throw new InvalidAnswer("an answer with \"" + NOT_A_REQUEST + "\" must have no other fields, but it has \""
                        + n + "\"");
            }
        }
        if (!reason.isTextual() || reason.asText().isBlank()) {
            throw new InvalidAnswer("\"" + NOT_A_REQUEST + "\" must be a short sentence saying why");
        }
        return new NotARequest(reason.asText());
    }

    /** Unwraps {@code ```json ... ```} when the whole answer is one fenced block. */
    private static String unfence(String s) {
        if (s.startsWith("```") && s.endsWith("```") && s.length() >= 6) {
            int firstLine = s.indexOf('\n');
            if (firstLine > 0 && firstLine < s.length() - 3) {
                String info = s.substring(3, firstLine).strip();
                if (info.isEmpty() || info.equalsIgnoreCase("json")) {
                    return s.substring(firstLine + 1, s.length() - 3).strip();
                }
            }
        }
        return s;
    }

    private static void extraChecks(JsonNode root, List<String> errors) {
        JsonNode r = root.get("resources");
        for (Map.Entry<String, JsonNode> e : r.properties()) {
            if (!e.getValue().canConvertToInt()) {
                errors.add("$.resources." + e.getKey() + ": " + e.getValue().asText() + " is too large");
            }
        }
        JsonNode st = root.get("streaming");
        if (st != null) {
            for (String k : List.of("width", "height")) {
                if (st.has(k) && !st.get(k).canConvertToInt()) {
                    errors.add("$.streaming." + k + ": " + st.get(k).asText() + " is too large");
                }
            }
        }
        JsonNode packages = root.get("packages");
        if (packages != null) {
            for (int i = 0; i < packages.size(); i++) {
                if (!PACKAGE.matcher(packages.get(i).asText()).matches()) {
                    errors.add("$.packages[" + i + "]: '" + packages.get(i).asText() + "' is not a package name "
                            + "(lower-case letters, digits, '+', '-', '.')");
                }
            }
        }
        JsonNode network = root.get("network");
        if (network != null && network.has("allow")) {
            JsonNode allow = network.get("allow");
            for (int i = 0; i < allow.size(); i++) {
                if (!HOST.matcher(allow.get(i).asText()).matches()) {
                    errors.add("$.network.allow[" + i + "]: '" + allow.get(i).asText() + "' is not a host name");
                }
            }
        }
        JsonNode os = root.get("os");
        for (String k : List.of("distro", "version")) {
            if (os.has(k) && !SHORT_TEXT.matcher(os.get(k).asText()).matches()) {
                errors.add("$.os." + k + ": '" + os.get(k).asText() + "' is not a distribution name or version");
            }
        }
        if (root.has("image") && !PACKAGE.matcher(root.get("image").asText()).matches()) {
            errors.add("$.image: '" + root.get("image").asText() + "' is not an image id");
        }
    }

    private static EnvironmentSpec toSpec(JsonNode root) {
        EnvironmentSpec.Builder b = EnvironmentSpec.builder();
        b.name(root.get("name").asText());
        b.kind(Kind.fromJson(root.get("kind").asText()));
        b.image(text(root, "image"));
        JsonNode os = root.get("os");
        b.os(new Os(os.get("family").asText(), text(os, "distro"), text(os, "version")));
        if (root.has("desktop")) {
            b.desktop(Desktop.fromJson(root.get("desktop").asText()));
        }
        JsonNode r = root.get("resources");
        b.resources(new Resources(r.get("cpus").asInt(), r.get("memoryMiB").asInt(), integer(r, "diskGiB"),
                integer(r, "gpus")));
        if (root.has("packages")) {
            b.packages(strings(root.get("packages")));
        }
        JsonNode n = root.get("network");
        if (n != null) {
            List<Integer> ports = null;
            if (n.has("ports")) {
                ports = new ArrayList<>();
                for (JsonNode p : n.get("ports")) {
                    ports.add(p.asInt());
                }
            }
            b.network(new Network(n.has("egress") ? Network.Egress.valueOf(n.get("egress").asText()
                    .toUpperCase(Locale.ROOT)) : null, n.has("allow") ? strings(n.get("allow")) : null, ports));
        }
        JsonNode st = root.get("streaming");
        if (st != null) {
            b.streaming(new Streaming(st.has("protocol") ? Streaming.Protocol.valueOf(st.get("protocol").asText()
                    .toUpperCase(Locale.ROOT)) : null, integer(st, "width"), integer(st, "height")));
        }
        JsonNode l = root.get("lifetime");
        if (l != null) {
            b.lifetime(new Lifetime(text(l, "ttl"), text(l, "idleTimeout")));
        }
        b.notes(text(root, "notes"));
        return b.build();
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }

    private static Integer integer(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asInt() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            out.add(s.asText());
        }
        return out;
    }
}
