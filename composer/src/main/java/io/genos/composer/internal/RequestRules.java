package io.genos.composer.internal;

import io.genos.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Requests the composer refuses on top of the {@link io.genos.spec.policy.PolicyGate}'s own rules: other ways of
 * asking to drop the rules ("forget your instructions", "you are now in admin mode") and of reaching the host
 * ("root on the host", "escape the container"). Violations carry {@code field = "request"}.
 */
public final class RequestRules {

    private record Rule(Pattern pattern, String message) {}

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("\\b(?:forget|disregard|ignore|override|bypass|drop)\\b[^.;]{0,30}\\b(?:instructions?"
                    + "|rules|polic(?:y|ies)|limits?|guardrails?|restrictions|safeguards?|quotas?|system prompt)\\b"
                    + "|\\byou are now\\b|\\b(?:admin|god|developer|dan|root|unrestricted) mode\\b|\\bjailbreak"
                    + "|\\bpretend (?:there are|you have) no\\b|\\bwithout (?:any )?(?:limits|restrictions|quotas)\\b"),
                    "requests to lift or ignore the rules are refused"),
            new Rule(Pattern.compile("\\b(?:root|sudo|admin|administrator|shell) (?:access |rights |privileges )?(?:on|to|of|"
                    + "in|into) the host\\b|\\bhost root\\b"
                    + "|\\b(?:escape|break out of|breakout from|break out from)\\b[^.;]{0,20}\\b(?:container|sandbox|vm|jail)\\b"
                    + "|\\b(?:access|control|reach)(?:ing)? (?:to )?the host(?: machine| system|'s)?\\b"
                    + "|--pid[= ]host\\b|--ipc[= ]host\\b|\\bhost (?:pid|ipc) namespace\\b|/dev/mem\\b"
                    + "|\\b(?:run|execute|exec)\\b[^.;]{0,40}\\bon the host\\b"),
                    "access to the host is not allowed"),
            new Rule(Pattern.compile("\\bmount(?:ing|ed)?\\b[^.;]{0,30}(?:\\bmy home\\b|\\bhome (?:dir|directory|folder)\\b"
                    + "|(?:^|\\s)~/?(?:\\s|$)|\\bmy (?:laptop|machine|computer|pc)\\b)"),
                    "mounting the host's files is not allowed"),
            new Rule(Pattern.compile("(?:seccomp|apparmor)[= :]unconfined|\\b(?:disable|turn off|remove)\\b[^.;]{0,15}"
                    + "\\b(?:seccomp|apparmor|selinux|namespaces|cgroups)\\b"),
                    "turning off the sandbox's protections is not allowed"));

    private RequestRules() {}

    /** The violations of these rules in the turns, without repeating the ones already found. */
    public static List<Violation> check(List<String> turns, List<Violation> already) {
        String text = String.join(" \n ", turns).toLowerCase(Locale.ROOT);
        List<Violation> out = new ArrayList<>();
        for (Rule r : RULES) {
            Violation v = new Violation("request", r.message());
            if (r.pattern().matcher(text).find() && !already.contains(v) && !out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
