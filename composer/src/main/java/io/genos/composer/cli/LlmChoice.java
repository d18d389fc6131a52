package io.genos.composer.cli;

import io.genos.composer.Composer;
import io.genos.composer.internal.CatalogFile;
import io.genos.composer.llm.LlmComposer;
import io.genos.composer.llm.LlmSettings;
import io.genos.spec.policy.PolicyGate;
import java.util.function.Function;

/**
 * The CLI's way to the LLM composer, in a class of its own so that the offline path never loads LangChain4j: the
 * JVM loads this class, and through it the {@code llm} package, only when {@code --llm} or
 * {@code GENOS_LLM_PROVIDER} asks for an LLM.
 */
final class LlmChoice {

    private LlmChoice() {}

    /**
     * @throws IllegalArgumentException for an unknown provider named on the command line (a usage error)
     * @throws io.genos.composer.ComposerUnavailableException when the LLM is not (or badly) configured
     */
    static Composer composer(String provider, boolean fromCommandLine, Function<String, String> env) {
        LlmSettings.Provider p;
        try {
            p = LlmSettings.Provider.parse(provider);
        } catch (IllegalArgumentException e) {
            if (fromCommandLine) {
                throw e;
            }
            throw new io.genos.composer.ComposerUnavailableException(LlmSettings.ENV_PROVIDER + ": " + e.getMessage());
        }
        LlmSettings settings = LlmSettings.fromEnvironment(p, env);
        quietLogging();
        try {
            // the catalog through the CLI's small JSON reader: Catalog.builtIn() would load Jackson 3 (~0.6 s)
            return new LlmComposer(settings, CatalogFile.builtIn(), new PolicyGate());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new io.genos.composer.ComposerUnavailableException("the LLM client could not be set up: "
                    + e.getMessage());
        }
    }

    /**
     * slf4j-simple for the CLI: warnings only, except the audit log at INFO, all on standard error (standard output
     * carries the answer alone). Settings already given as system properties win.
     */
    private static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log." + LlmComposer.AUDIT_LOGGER, "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
