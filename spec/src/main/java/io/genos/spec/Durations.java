package io.genos.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them ("2 hours", "90 minutes", "1 day", "1h30m", "an hour and a half") and as the spec
 * stores them (ISO-8601, {@code PT2H}).
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile(
            "(\\d+(?:[.,]\\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|half an?)\\s*"
                    + "(days?|d|hours?|hrs?|h|minutes?|mins?|m|weeks?|w)(?![a-z])");
    private static final Pattern FILLER = Pattern.compile("\\s*(and|,|\\+)?\\s*");
    /** Longest duration read: beyond this the words are surely a mistake (policy bounds lifetimes far lower). */
    private static final Duration LONGEST = Duration.ofDays(366);

    private Durations() {}

    /** Reads a duration in words or ISO-8601; empty when the text says none; throws for what it cannot read. */
    public static Optional<Duration> parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("none") || t.equals("no limit") || t.equals("unlimited")) {
            return Optional.empty();
        }
        if (t.startsWith("p")) {
            try {
                return Optional.of(check(Duration.parse(t.toUpperCase(Locale.ROOT)), text));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + text.strip() + "\" is not a duration: write e.g. 2 hours, "
                        + "90 minutes or 1 day");
            }
        }
        t = t.replace("an hour and a half", "90 minutes").replace("one and a half hours", "90 minutes")
                .replace("half an hour", "30 minutes").replace("half a day", "12 hours");
        Duration total = Duration.ZERO;
        int at = 0;
        int parts = 0;
        Matcher m = PART.matcher(t);
        while (at < t.length()) {
            Matcher filler = FILLER.matcher(t).region(at, t.length());
            if (filler.lookingAt()) {
                at = filler.end();
            }
            if (at >= t.length()) {
                break;
            }
            if (!m.region(at, t.length()).lookingAt()) {
                throw new IllegalArgumentException("\"" + text.strip() + "\" is not a duration: write e.g. 2 hours, "
                        + "90 minutes or 1 day");
            }
            total = total.plus(part(m.group(1), m.group(2)));
            at = m.end();
            parts++;
        }
        if (parts == 0) {
            throw new IllegalArgumentException("\"" + text.strip() + "\" is not a duration: write e.g. 2 hours");
        }
        return Optional.of(check(total, text));
    }

    /** The ISO-8601 form the spec stores, or null when the text says none. */
    public static String toIso(String text) {
        return parse(text).map(Duration::toString).orElse(null);
    }

    /** "2 hours", "1 hour 30 minutes", "1 day": how a person reads a duration (ISO-8601 or words in, words out). */
    public static String words(String isoOrWords) {
        if (isoOrWords == null || isoOrWords.isBlank()) {
            return "";
        }
        try {
            return parse(isoOrWords).map(Durations::words).orElse("");
        } catch (IllegalArgumentException e) {
            return isoOrWords;
        }
    }

    public static String words(Duration d) {
        long minutes = d.toMinutes();
        long days = minutes / (24 * 60);
        long hours = minutes % (24 * 60) / 60;
        long mins = minutes % 60;
        List<String> parts = new ArrayList<>();
        if (days > 0) {
            parts.add(days + (days == 1 ? " day" : " days"));
        }
        if (hours > 0) {
            parts.add(hours + (hours == 1 ? " hour" : " hours"));
        }
        if (mins > 0 || parts.isEmpty()) {
            parts.add(mins + (mins == 1 ? " minute" : " minutes"));
        }
        return String.join(" ", parts);
    }

    private static Duration part(String amount, String unit) {
        double n = switch (amount) {
            case "a", "an", "one" -> 1;
            case "two" -> 2;
            case "three" -> 3;
            case "four" -> 4;
            case "five" -> 5;
            case "six" -> 6;
            case "seven" -> 7;
            case "eight" -> 8;
            case "nine" -> 9;
            case "ten" -> 10;
            case "twelve" -> 12;
            default -> amount.startsWith("half") ? 0.5 : Double.parseDouble(amount.replace(',', '.'));
        };
        long seconds = switch (unit.charAt(0)) {
            case 'w' -> 7 * 24 * 3600;
            case 'd' -> 24 * 3600;
            case 'h' -> 3600;
            default -> 60;
        };
        if (n > LONGEST.toSeconds()) {
            throw new IllegalArgumentException(amount + " " + unit + " is longer than a year");
        }
        return Duration.ofSeconds(Math.round(n * seconds));
    }

    private static Duration check(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("\"" + text.strip() + "\" is not a positive duration");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("\"" + text.strip() + "\" is longer than a year");
        }
        return d;
    }
}
