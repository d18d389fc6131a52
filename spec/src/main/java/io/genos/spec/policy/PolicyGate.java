package io.genos.spec.policy;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Resources;
import io.genos.spec.Violation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks a spec, and the raw words of the request, against {@link PolicyLimits} and the forbidden capabilities
 * (privileged mode, host network, host mounts, the Docker socket, attempts to lift the rules). The composer can
 * be wrong; this gate cannot be skipped.
 */
public final class PolicyGate {

    private record Rule(Pattern pattern, String message) {}

    private static final List<Rule> FORBIDDEN = List.of(
            new Rule(Pattern.compile("\\bprivileged\\b|--privileged|\\bcap[_ -]?sys[_ -]?admin\\b|\\ball capabilities\\b"),
                    "privileged mode is not allowed"),
            new Rule(Pattern.compile("\\bhost(?:'s)?[ -]?network(?:ing)?\\b|--net(?:work)?[= ]host\\b|\\bnetwork[ =:-]+host\\b"),
                    "the host network is not allowed"),
            new Rule(Pattern.compile("docker\\.sock|\\bdocker socket\\b|/var/run/docker"),
                    "mounting the Docker socket is not allowed"),
            new Rule(Pattern.compile("\\bmount(?:ing|ed|s)?\\b[^.;]{0,40}(?:\\s/(?:\\s|$|etc|root|home|var|proc|sys|dev)|\\bhost(?:'s)?\\b|\\broot filesystem\\b)"
                    + "|\\bhost (?:mount|volume|path|filesystem|file system|files|directory|folder)s?\\b|\\bbind[ -]mount"),
                    "mounting the host's files is not allowed"),
            new Rule(Pattern.compile("\\bignore (?:all |any |your |the |previous |prior )*(?:rules|instructions|policy|policies|limits|restrictions)\\b"
                    + "|\\b(?:disable|bypass|lift|remove|override|skip|turn off)\\b[^.;]{0,20}\\b(?:limits?|quotas?|policy|policies|rules|restrictions|sandbox)\\b"
                    + "|\\bno limits\\b|\\bunlimited\\b"),
                    "requests to lift or ignore the rules are refused"));

    private final PolicyLimits limits;

    public PolicyGate(PolicyLimits limits) {
        this.limits = limits;
    }

    public PolicyGate() {
        this(PolicyLimits.DEFAULTS);
    }

    public PolicyLimits limits() {
        return limits;
    }

    /** Every violation of the spec and of the request's words; empty when policy allows it. */
    public List<Violation> check(EnvironmentSpec spec, List<String> turns) {
        List<Violation> out = new ArrayList<>(checkSpec(spec));
        out.addAll(checkRequest(turns));
        return out;
    }

    public List<Violation> checkSpec(EnvironmentSpec spec) {
        List<Violation> out = new ArrayList<>();
        Resources r = spec.resources();
        if (r != null) {
            range(out, "resources.cpus", r.cpus(), limits.minCpus(), limits.maxCpus(), "CPUs");
            range(out, "resources.memoryMiB", r.memoryMiB(), limits.minMemoryMiB(), limits.maxMemoryMiB(), "MiB of memory");
            if (r.diskGiB() != null) {
                range(out, "resources.diskGiB", r.diskGiB(), limits.minDiskGiB(), limits.maxDiskGiB(), "GiB of disk");
            }
            if (r.gpus() != null) {
                range(out, "resources.gpus", r.gpus(), 0, limits.maxGpus(), "GPUs");
            }
        } else {
            out.add(new Violation("resources", "resources are required"));
        }
        if (spec.lifetime() != null) {
            duration(out, "lifetime.ttl", spec.lifetime().ttl(), limits.maxTtl());
            duration(out, "lifetime.idleTimeout", spec.lifetime().idleTimeout(), limits.maxTtl());
        }
        if (spec.name() == null || !spec.name().matches("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")) {
            out.add(new Violation("name", "the name must be a DNS label of at most 40 lower-case letters, digits and dashes"));
        }
        return out;
    }

    public List<Violation> checkRequest(List<String> turns) {
        List<Violation> out = new ArrayList<>();
        if (turns == null) {
            return out;
        }
        String text = String.join(" \n ", turns).toLowerCase(Locale.ROOT);
        for (Rule rule : FORBIDDEN) {
            if (rule.pattern().matcher(text).find()) {
                out.add(new Violation("request", rule.message()));
            }
        }
        return out;
    }

    private static void range(List<Violation> out, String field, int value, int min, int max, String unit) {
        if (value > max) {
            out.add(new Violation(field, "at most " + max + " " + unit + " per environment (asked for " + value + ")"));
        } else if (value < min) {
            out.add(new Violation(field, "at least " + min + " " + unit + " per environment (asked for " + value + ")"));
        }
    }

    private static void duration(List<Violation> out, String field, String iso, Duration max) {
        if (iso == null) {
            return;
        }
        try {
            Duration d = parseDuration(iso);
            if (d.isNegative() || d.isZero()) {
                out.add(new Violation(field, "must be a positive duration"));
            } else if (d.compareTo(max) > 0) {
                out.add(new Violation(field, "at most " + human(max) + " (asked for " + human(d) + ")"));
            }
        } catch (DateTimeParseException e) {
            out.add(new Violation(field, "not a duration (write e.g. 2 hours, 90 minutes or 1 day): " + iso));
        }
    }

    /** Parses ISO-8601 durations including weeks ({@code P2W}), which {@link Duration#parse} does not. */
    public static Duration parseDuration(String iso) {
        var m = Pattern.compile("^P(?:(\\d+)W)?(.*)$", Pattern.CASE_INSENSITIVE).matcher(iso.trim());
        if (m.matches() && m.group(1) != null) {
            Duration weeks = Duration.ofDays(7L * Long.parseLong(m.group(1)));
            String rest = m.group(2);
            return rest.isEmpty() ? weeks : weeks.plus(Duration.parse("P" + rest));
        }
        return Duration.parse(iso.trim());
    }

    /** A duration as people say it: "7 days", "1 hour", "2 days 3 hours", "1 hour 30 minutes", "45 seconds". */
    public static String human(Duration d) {
        List<String> parts = new ArrayList<>();
        unit(parts, d.toDays(), "day");
        unit(parts, d.toHoursPart(), "hour");
        unit(parts, d.toMinutesPart(), "minute");
        if (parts.isEmpty()) {
            unit(parts, d.toSecondsPart(), "second");
        }
        return parts.isEmpty() ? "0 minutes" : String.join(" ", parts);
    }

    private static void unit(List<String> parts, long n, String unit) {
        if (n > 0) {
            parts.add(n + " " + unit + (n == 1 ? "" : "s"));
        }
    }
}
