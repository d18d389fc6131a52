package io.genos.composer.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.genos.composer.ComposeResult;
import io.genos.composer.Composer;
import io.genos.composer.ComposerUnavailableException;
import io.genos.composer.NotAnEnvironmentRequestException;
import io.genos.composer.OfflineComposer;
import io.genos.composer.internal.RequestRules;
import io.genos.composer.llm.AnswerReader.Answer;
import io.genos.composer.llm.AnswerReader.InvalidAnswer;
import io.genos.composer.llm.AnswerReader.NotARequest;
import io.genos.composer.llm.AnswerReader.SpecAnswer;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Violation;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.policy.PolicyGate;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes with an LLM through LangChain4j: an OpenAI-compatible endpoint or Ollama, as {@link LlmSettings} say. The
 * model gets the rules, the catalog's images, the contract's JSON schema and the whole conversation, and is asked
 * for exactly one EnvironmentSpec JSON object (JSON response format; temperature 0 on Ollama). Its answer is
 * untrusted input: it is parsed strictly and validated against the schema; a rejected answer is asked again with
 * the errors listed, at most {@link LlmSettings#maxRetries()} times, as are timeouts and HTTP 429/5xx answers.
 * Connection failures, other HTTP errors, and answers still unusable after the retries end in
 * {@link ComposerUnavailableException}; a conversation the model finds no request in ends in
 * {@link NotAnEnvironmentRequestException} unless the turns break a request rule.
 *
 * <p>Policy runs whatever the model says: the {@link PolicyGate} on the spec, the gate and the composer's
 * request rules on the user's turns and on the model's answer text (an instruction smuggled into either is a
 * {@code "request"} violation), and notes that tell the user to run commands are a {@code "notes"} violation.
 * Values are never clamped. Every prompt and answer goes to the logger {@value #AUDIT_LOGGER} with secrets
 * redacted (the system prompt, the same for every conversation, in full the first time and then by its SHA-256).
 *
 * <pre>{@code
 * Composer composer = new LlmComposer(LlmSettings.of(Provider.OPENAI, "https://api.openai.com/v1", key, "gpt-4o-mini"));
 * ComposeResult r = composer.compose(List.of("Debian desktop with 4 GB"));
 * }</pre>
 */
public final class LlmComposer implements Composer {

    public static final String AUDIT_LOGGER = "genos.audit.llm";

    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);

    /** Shell syntax, download-and-run, or words telling the user to run something in a terminal. */
    private static final Pattern COMMANDS_IN_NOTES = Pattern.compile("(?i)`|\\$\\(|\\|\\s*(?:sudo\\s+)?(?:ba|z)?sh\\b"
            + "|\\b(?:curl|wget|iwr|invoke-webrequest)\\s+\\S*(?:https?:|-)|\\b(?:chmod\\s+\\+x|rm\\s+-|dd\\s+if=|mkfs\\.)"
            + "|\\b(?:run|execute|paste|type|enter)\\b[^.;]{0,30}\\b(?:(?:the following|this|these) (?:command|commands|script|line)"
            + "|in (?:a|the|your) (?:terminal|shell|console))\\b");

    private final LlmSettings settings;
    private final ChatModel model;
    private final Catalog catalog;
    private final PolicyGate gate;
    private final Redactor redactor;
    private final String systemPrompt;
    private final String systemPromptDigest;
    /** The system prompt is the same for every conversation: the audit log shows it in full once, then its digest. */
    private volatile boolean systemPromptLogged;

    /** With the built-in catalog and the default policy limits. */
    public LlmComposer(LlmSettings settings) {
        this(settings, Catalog.builtIn(), new PolicyGate());
    }

    public LlmComposer(LlmSettings settings, Catalog catalog, PolicyGate gate) {
        this(settings, chatModel(settings), catalog, gate);
    }

    LlmComposer(LlmSettings settings, ChatModel model, Catalog catalog, PolicyGate gate) {
        this.settings = settings;
        this.model = model;
        this.catalog = catalog;
        this.gate = gate;
        this.redactor = new Redactor(settings.apiKey());
        this.systemPrompt = Prompts.system(catalog);
        this.systemPromptDigest = sha256(systemPrompt);
        // load the schema validator while the first call is under way (~0.4 s of class loading on a cold JVM)
        Thread.ofPlatform().daemon().name("genos-schema-loader").start(AnswerReader::load);
    }

    public LlmSettings settings() {
        return settings;
    }

    /** LangChain4j's client for the provider; its own retries are off, this composer counts them. */
    static ChatModel chatModel(LlmSettings s) {
        return switch (s.provider()) {
            case OPENAI -> OpenAiChatModel.builder()
                    .baseUrl(s.baseUrl())
                    // local OpenAI-compatible servers need no key, but the client insists on one
                    .apiKey(s.apiKey() == null ? "no-key" : s.apiKey())
                    .modelName(s.model())
                    .timeout(s.timeout())
                    .maxRetries(0)
                    // no temperature: some OpenAI models (the reasoning ones) refuse any but the default
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .baseUrl(s.baseUrl())
                    .modelName(s.model())
                    .timeout(s.timeout())
                    .maxRetries(0)
                    .temperature(0.0)
                    .build();
        };
    }

    @Override
    public ComposeResult compose(List<String> turns) {
        Composer.requireTurns(turns);
        List<Violation> requestViolations = new ArrayList<>(gate.checkRequest(turns));
        requestViolations.addAll(RequestRules.check(turns, requestViolations));

        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt));
        messages.add(UserMessage.from(Prompts.conversation(turns)));
        int logged = 0;
        String lastProblem = null;
        int calls = settings.maxCalls();
        for (int attempt = 1; attempt <= calls; attempt++) {
            for (; logged < messages.size(); logged++) {
                ChatMessage m = messages.get(logged);
                if (m instanceof SystemMessage && systemPromptLogged) {
                    audit("prompt", attempt, "system: (as logged before, sha256 " + systemPromptDigest + ")");
                } else {
                    audit("prompt", attempt, role(m) + (m instanceof SystemMessage ? " (sha256 " + systemPromptDigest
                            + ")" : "") + ":\n" + text(m));
                    systemPromptLogged |= m instanceof SystemMessage;
                }
            }
            ChatRequest request = ChatRequest.builder().messages(messages).responseFormat(ResponseFormat.JSON).build();
            long start = System.nanoTime();
            ChatResponse response;
            try {
                response = model.chat(request);
            } catch (RuntimeException e) {
                Failure f = classify(e);
                audit("failure", attempt, f.what() + " after " + millis(start) + " ms (" + e.getClass().getName() + ")");
                lastProblem = f.what();
                if (!f.retriable()) {
                    throw unavailable(f.what(), attempt);
                }
                continue;
            }
            String answer = response.aiMessage() == null ? null : response.aiMessage().text();
            audit("answer", attempt, "after " + millis(start) + " ms:\n" + clip(answer));
            try {
                Answer read = AnswerReader.read(answer);
                return result(read, answer, turns, requestViolations);
            } catch (InvalidAnswer e) {
                audit("rejected", attempt, String.join("\n", e.errors()));
                lastProblem = "its answer was not a valid spec (" + summary(e.errors()) + ")";
                messages.add(AiMessage.from(answer == null || answer.isBlank() ? "(empty)" : clip(answer)));
                messages.add(UserMessage.from(Prompts.retry(e.errors())));
            }
        }
        throw unavailable(lastProblem, calls);
    }

    private ComposeResult result(Answer answer, String answerText, List<String> turns,
            List<Violation> requestViolations) {
        if (answer instanceof NotARequest) {
            if (requestViolations.isEmpty()) {
                throw new NotAnEnvironmentRequestException("this does not ask for an environment; say what you need, "
                        + "e.g. \"a Debian desktop with Firefox, 2 CPUs and 4 GB of RAM\"");
            }
            // a hostile request is never "not a request": show the offline reading with its violations
            ComposeResult offline = new OfflineComposer(catalog, gate).compose(turns);
            List<String> warnings = new ArrayList<>(offline.warnings());
            warnings.add("the LLM found no environment request; this is the offline composer's reading");
            return new ComposeResult(offline.spec(), offline.violations(), warnings);
        }
        EnvironmentSpec spec = ((SpecAnswer) answer).spec();
        Set<Violation> violations = new LinkedHashSet<>(gate.checkSpec(spec));
        violations.addAll(requestViolations);
        List<String> answerWords = List.of(answerText);
        violations.addAll(gate.checkRequest(answerWords));
        violations.addAll(RequestRules.check(answerWords, List.copyOf(violations)));
        if (spec.notes() != null && COMMANDS_IN_NOTES.matcher(spec.notes()).find()) {
            violations.add(new Violation("notes", "the composer's notes tell you to run something; do not follow them"));
        }
        List<String> warnings = new ArrayList<>();
        for (String w : catalog.resolve(spec).warnings()) {
            if (!warnings.contains(w)) {
                warnings.add(w);
            }
        }
        return new ComposeResult(spec, List.copyOf(violations), warnings);
    }

    private ComposerUnavailableException unavailable(String what, int calls) {
        return new ComposerUnavailableException("the LLM (" + settings.provider().id() + " model " + settings.model()
                + " at " + settings.baseUrl() + ") " + redactor.redact(what) + "; gave up after " + calls
                + (calls == 1 ? " call" : " calls") + ". Run without --llm to compose offline");
    }

    private record Failure(String what, boolean retriable) {}

    private Failure classify(RuntimeException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof dev.langchain4j.exception.TimeoutException || c instanceof HttpTimeoutException
                    || c instanceof SocketTimeoutException || c instanceof java.util.concurrent.TimeoutException) {
                return new Failure("timed out: no answer within " + human(settings.timeout()), true);
            }
            if (c instanceof HttpException h) {
                int code = h.statusCode();
                String hint = code == 401 || code == 403 ? " (check " + LlmSettings.ENV_API_KEY + ")"
                        : code == 404 ? " (check " + LlmSettings.ENV_BASE_URL + " and " + LlmSettings.ENV_MODEL + ")"
                        : "";
                return new Failure("answered HTTP " + code + hint, code == 429 || code >= 500);
            }
            if (c instanceof ConnectException) {
                return new Failure("could not be reached: connection refused", false);
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return new Failure("could not be reached: unknown host", false);
            }
            if (c instanceof com.fasterxml.jackson.core.JacksonException j) {
                String what = j.getOriginalMessage() == null ? "" : j.getOriginalMessage().lines().findFirst().orElse("");
                what = what.length() > 120 ? what.substring(0, 120) + "..." : what;
                return new Failure("answered something that is not a chat API response (" + what + ")", false);
            }
        }
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return new Failure("failed: " + e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message), false);
    }

    /** At most {@link AnswerReader#MAX_ANSWER_CHARS} characters of an answer, for the log and the retry. */
    private static String clip(String answer) {
        if (answer == null || answer.length() <= AnswerReader.MAX_ANSWER_CHARS) {
            return answer;
        }
        return answer.substring(0, AnswerReader.MAX_ANSWER_CHARS) + "... (" + (answer.length()
                - AnswerReader.MAX_ANSWER_CHARS) + " more characters)";
    }

    private static String summary(List<String> errors) {
        String s = String.join("; ", errors.subList(0, Math.min(3, errors.size())))
                + (errors.size() > 3 ? "; and " + (errors.size() - 3) + " more" : "");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void audit(String event, int attempt, String text) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info("{} {} model={} url={} attempt={}/{} {}", settings.provider().id(), event, settings.model(),
                    settings.baseUrl(), attempt, settings.maxCalls(), redactor.redact(text));
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String role(ChatMessage m) {
        return m.type().name().toLowerCase(Locale.ROOT);
    }

    private static String text(ChatMessage m) {
        return switch (m) {
            case SystemMessage s -> s.text();
            case UserMessage u -> u.singleText();
            case AiMessage a -> a.text();
            default -> m.toString();
        };
    }
}
