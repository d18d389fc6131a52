package io.genos.composer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.genos.composer.ComposerUnavailableException;
import io.genos.composer.OfflineComposer;
import io.genos.composer.internal.CatalogFile;
import io.genos.spec.policy.PolicyGate;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI in-process: exit statuses, and every JSON answer checked against the contract's JSON schema. */
class ComposeCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    private record Run(int status, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void loadSchema() throws Exception {
        String schemaResource = "/io/genos/composer/llm/environment-spec.schema.json"; // the LLM composer's copy
        try (InputStream in = ComposeCliTest.class.getResourceAsStream(schemaResource)) {
            // the contract's $id is relative, which the validator refuses as a base URI: give it an absolute one
            ObjectNode node = (ObjectNode) JSON.readTree(in);
            node.put("$id", "https://genos.invalid/" + node.get("$id").asText());
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new ComposeCli(() -> new OfflineComposer(CatalogFile.builtIn(), new PolicyGate()))
                .run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertValidSpec(JsonNode spec) {
        Set<ValidationMessage> errors = schema.validate(spec);
        assertThat(errors).as(spec.toString()).isEmpty();
    }

    @Test
    void printsExactlyOneJsonObjectWithASchemaValidSpec() throws Exception {
        Run r = run("--json", "ubuntu 24.04 vm with gnome, 4 cores, 8 GB, 60 GB disk, a GPU, python and git,"
                + " only reach pypi.org, expose 8888, for 3 hours, idle 20 minutes, 1920x1080 over rdp");
        assertThat(r.status()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode root = r.json();
        assertThat(root.fieldNames()).toIterable().containsExactly("spec", "violations", "warnings");
        assertValidSpec(root.get("spec"));
        assertThat(root.get("spec").has("image")).isFalse();
        assertThat(root.get("spec").get("resources").get("memoryMiB").asInt()).isEqualTo(8192);
    }

    @Test
    void manyDifferentRequestsAllGiveSchemaValidSpecs() throws Exception {
        String[][] conversations = {
                {"hello there, I need a shell"}, {"Windows Server 2022 with 8 vCPU"}, {"FreeBSD 14 VM please"},
                {"debian desktop", "more memory", "drop firefox", "use a VM instead"},
                {"C++ and C# box named with odd characters!!! on kubuntu"}, {"an air-gapped alpine shell for 2 days"},
                {"I need 512 CPUs and a terabyte of RAM"}, {"debian with the debian-openbox image"}};
        for (String[] turns : conversations) {
            String[] args = new String[turns.length + 1];
            args[0] = "--json";
            System.arraycopy(turns, 0, args, 1, turns.length);
            Run r = run(args);
            assertThat(r.status()).as(String.join(" | ", turns)).isIn(0, 3);
            assertValidSpec(r.json().get("spec"));
        }
    }

    @Test
    void aCatalogImageIsInTheSpecOnlyWhenTheUserNamedOne() throws Exception {
        assertThat(run("--json", "debian with the debian-openbox image").json().get("spec").get("image").asText())
                .isEqualTo("debian-openbox");
    }

    @Test
    void policyViolationsExitWithThreeAndNameTheRule() throws Exception {
        Run r = run("--json", "a privileged container with 64 cores");
        assertThat(r.status()).isEqualTo(3);
        JsonNode v = r.json().get("violations");
        assertThat(v).hasSizeGreaterThanOrEqualTo(2);
        assertThat(v.toString()).contains("resources.cpus").contains("privileged mode is not allowed");
        assertThat(r.json().get("spec").get("resources").get("cpus").asInt()).isEqualTo(64);
    }

    @Test
    void aConversationThatIsNotARequestExitsWithFourAndAnErrorObject() throws Exception {
        Run r = run("--json", "what's the weather like?");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.json().fieldNames()).toIterable().containsExactly("error");
        Run human = run("good morning");
        assertThat(human.status()).isEqualTo(4);
        assertThat(human.out()).isEmpty();
        assertThat(human.err()).contains("does not ask for an environment");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run().status()).isEqualTo(2);
        assertThat(run("--json").status()).isEqualTo(2);
        assertThat(run("--frobnicate", "debian").status()).isEqualTo(2);
        assertThat(run("--llm").status()).isEqualTo(2);
        Run blank = run("debian", " ");
        assertThat(blank.status()).isEqualTo(2);
        assertThat(blank.err()).contains("turn 2 is empty").contains("usage:");
    }

    @Test
    void aTurnAfterTheOptionsEndMayStartWithADash() {
        assertThat(run("--", "-debian box-").status()).isZero();
    }

    @Test
    void anLlmThatIsNotConfiguredExitsWithFiveAndSaysSo() throws Exception {
        Run r = run("--json", "--llm", "openai", "debian box");
        assertThat(r.status()).isEqualTo(5);
        assertThat(r.json().get("error").asText()).contains("no LLM is configured").contains("openai");
        assertThat(ComposerUnavailableException.class).isAssignableTo(RuntimeException.class);
    }

    @Test
    void theHumanFormIsYamlWithViolationsAndWarningsInWords() {
        Run r = run("ubuntu box with 100 CPUs");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).contains("kind: container").contains("  distro: ubuntu").contains("  cpus: 100")
                .contains("Policy would refuse this environment:").contains("resources.cpus: at most 16 CPUs")
                .contains("Warnings:").contains("Ubuntu is not in the catalog");
        assertThat(run("debian box").out()).doesNotContain("Policy would refuse");
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("usage: genos compose");
    }
}
