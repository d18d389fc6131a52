package io.genos.composer.cli;

import io.genos.composer.ComposeResult;
import io.genos.composer.Composer;
import io.genos.composer.ComposerUnavailableException;
import io.genos.composer.NotAnEnvironmentRequestException;
import io.genos.composer.OfflineComposer;
import io.genos.spec.Violation;
import io.genos.spec.catalog.PackageIndexes;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import io.genos.composer.internal.CatalogFile;
import io.genos.composer.internal.Json;
import io.genos.spec.policy.PolicyGate;

/**
 * {@code genos compose [--json] [--llm PROVIDER] TURN [TURN ...]}: composes the environment the turns ask for.
 * Exit status 0 composed, 2 usage error, 3 composed with policy violations, 4 not a request for an environment,
 * 5 the LLM could not be used. The offline composer is the default; {@code --llm openai|ollama} or the variable
 * {@code GENOS_LLM_PROVIDER} selects the LLM composer, configured by the other {@code GENOS_LLM_*} variables (see
 * {@link io.genos.composer.llm.LlmSettings#fromEnvironment}).
 */
public final class ComposeCli {

    public static final int OK = 0;
    public static final int USAGE = 2;
    public static final int VIOLATIONS = 3;
    public static final int NOT_A_REQUEST = 4;
    public static final int LLM_UNAVAILABLE = 5;

    static final String USAGE_TEXT = "usage: genos compose [--json] [--llm PROVIDER] TURN [TURN ...]\n"
            + "  Each TURN is one message of the conversation, oldest first; later turns refine earlier ones.\n"
            + "  --json          print exactly one JSON object {spec, violations, warnings} on standard output\n"
            + "  --llm PROVIDER  compose with an LLM (openai or ollama) instead of the offline composer; it is\n"
            + "                  configured by GENOS_LLM_BASE_URL, GENOS_LLM_MODEL, GENOS_LLM_API_KEY,\n"
            + "                  GENOS_LLM_TIMEOUT (default 60s) and GENOS_LLM_RETRIES (default 2);\n"
            + "                  GENOS_LLM_PROVIDER selects it without --llm\n"
            + "exit: 0 composed, 2 usage, 3 policy violations, 4 not a request, 5 LLM unavailable";

    private final Supplier<Composer> offline;
    private final Function<String, String> env;

    /** With no environment: the LLM is used only when --llm asks (and then finds nothing configured). */
    ComposeCli(Supplier<Composer> offline) {
        this(offline, name -> null);
    }

    /** @param env the environment variables ({@code GENOS_LLM_*}) */
    ComposeCli(Supplier<Composer> offline, Function<String, String> env) {
        this.offline = offline;
        this.env = env;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        int status = new ComposeCli(() -> new OfflineComposer(CatalogFile.builtIn(), new PolicyGate()), System::getenv)
                .run(args, out, System.err);
        out.flush();
        System.exit(status);
    }

    int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        String llm = null;
        List<String> turns = new ArrayList<>();
        boolean options = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.equals("--json")) {
                json = true;
            } else if (options && (a.equals("--llm") || a.startsWith("--llm="))) {
                if (a.startsWith("--llm=")) {
                    llm = a.substring(6);
                } else if (i + 1 < args.length) {
                    llm = args[++i];
                } else {
                    return usage(json, out, err, "--llm needs a PROVIDER");
                }
                if (llm.isBlank()) {
                    return usage(json, out, err, "--llm needs a PROVIDER");
                }
            } else if (options && (a.equals("-h") || a.equals("--help"))) {
                out.println(USAGE_TEXT);
                return OK;
            } else if (options && a.startsWith("-") && a.length() > 1 && !a.contains(" ")) {
                return usage(json, out, err, "unknown option " + a);
            } else {
                turns.add(a);
            }
        }
        if (turns.isEmpty()) {
            return usage(json, out, err, "no turn given");
        }
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).isBlank()) {
                return usage(json, out, err, "turn " + (i + 1) + " is empty");
            }
        }
        String provider = llm != null ? llm : env.apply("GENOS_LLM_PROVIDER");
        if (provider != null && provider.isBlank()) {
            provider = null;
        }
        try {
            Composer composer = provider == null ? offline.get() : LlmChoice.composer(provider, llm != null, env);
            ComposeResult result = PackageNamesCheck.apply(composer.compose(turns), CatalogFile.builtIn(),
                    new PackageIndexes(indexDir()));
            if (json) {
                out.println(Output.json(result));
            } else {
                out.print(Output.human(result));
            }
            return result.violations().isEmpty() ? OK : VIOLATIONS;
        } catch (NotAnEnvironmentRequestException e) {
            return error(json, out, err, e.getMessage(), NOT_A_REQUEST);
        } catch (ComposerUnavailableException e) {
            return error(json, out, err, e.getMessage(), LLM_UNAVAILABLE);
        } catch (IllegalArgumentException e) {
            return usage(json, out, err, e.getMessage());
        }
    }

    /** Where the OS bases' package indexes are: {@code GENOS_PACKAGE_INDEX_DIR}, else where vm-images/build writes them. */
    private java.nio.file.Path indexDir() {
        String dir = env.apply("GENOS_PACKAGE_INDEX_DIR");
        return dir == null || dir.isBlank() ? PackageIndexes.DEFAULT_DIR : java.nio.file.Path.of(dir);
    }

    private static int usage(boolean json, PrintStream out, PrintStream err, String message) {
        err.println("genos compose: " + message);
        err.println(USAGE_TEXT);
        if (json) {
            out.println(Output.error(message));
        }
        return USAGE;
    }

    private static int error(boolean json, PrintStream out, PrintStream err, String message, int status) {
        if (json) {
            out.println(Output.error(message));
        } else {
            err.println("genos compose: " + message);
        }
        return status;
    }

    /** Rendering of a result, as JSON (the contract) or as YAML-like text for a person. */
    static final class Output {
        private Output() {}

        static String json(ComposeResult r) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("spec", Json.tree(r.spec()));
            List<Map<String, Object>> violations = new ArrayList<>();
            for (Violation v : r.violations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("field", v.field());
                m.put("message", v.message());
                violations.add(m);
            }
            root.put("violations", violations);
            root.put("warnings", r.warnings());
            return Json.write(root);
        }

        static String error(String message) {
            return Json.write(Map.of("error", message));
        }

        static String human(ComposeResult r) {
            Map<String, Object> spec = Json.tree(r.spec());
            StringBuilder b = new StringBuilder();
            yaml(b, spec, 0);
            if (!r.violations().isEmpty()) {
                b.append("\nPolicy would refuse this environment:\n");
                for (Violation v : r.violations()) {
                    b.append("  - ").append(v.field()).append(": ").append(v.message()).append('\n');
                }
            }
            if (!r.warnings().isEmpty()) {
                b.append("\nWarnings:\n");
                for (String w : r.warnings()) {
                    b.append("  - ").append(w).append('\n');
                }
            }
            return b.toString();
        }

        @SuppressWarnings("unchecked")
        private static void yaml(StringBuilder b, Map<String, Object> map, int indent) {
            for (Map.Entry<String, Object> e : map.entrySet()) {
                b.append("  ".repeat(indent)).append(e.getKey()).append(':');
                Object v = e.getValue();
                if (v instanceof Map<?, ?> m) {
                    b.append('\n');
                    yaml(b, (Map<String, Object>) m, indent + 1);
                } else if (v instanceof List<?> l) {
                    if (l.isEmpty()) {
                        b.append(" []\n");
                    } else {
                        b.append('\n');
                        for (Object item : l) {
                            b.append("  ".repeat(indent + 1)).append("- ").append(scalar(item)).append('\n');
                        }
                    }
                } else {
                    b.append(' ').append(scalar(v)).append('\n');
                }
            }
        }

        private static String scalar(Object v) {
            if (v instanceof Number || v instanceof Boolean) {
                return String.valueOf(v);
            }
            String s = String.valueOf(v);
            boolean plain = s.matches("[A-Za-z0-9][A-Za-z0-9 ._/+-]*") && !s.matches("\\d+(\\.\\d+)*")
                    && !s.matches("(?i)yes|no|true|false|null|on|off");
            return plain ? s : Json.write(s);
        }
    }
}
