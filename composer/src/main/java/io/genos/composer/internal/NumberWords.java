package io.genos.composer.internal;

import java.util.List;
import java.util.Map;

/**
 * Reads a number where people write one: digits ({@code 16}, {@code 1.5}), words ({@code two}, {@code twenty four},
 * {@code two hundred}), {@code a couple of}, {@code a few}, {@code a dozen}, {@code half a}, {@code a quarter},
 * {@code one and a half}, the prefixes of {@code dual-core} and {@code quad-core}, and a bare article ({@code a GPU},
 * {@code an hour}) which callers accept only before a unit or a countable noun.
 */
public final class NumberWords {

    /** A number read at a position: its value, how many tokens it took, and whether it was only an article. */
    public record Read(double value, int length, boolean article) {}

    private static final Map<String, Integer> UNITS = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
            Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14), Map.entry("fifteen", 15),
            Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
            Map.entry("nineteen", 19), Map.entry("single", 1), Map.entry("dual", 2), Map.entry("twin", 2),
            Map.entry("quad", 4), Map.entry("hexa", 6), Map.entry("hex", 6), Map.entry("octa", 8),
            Map.entry("octo", 8), Map.entry("dozen", 12), Map.entry("couple", 2), Map.entry("pair", 2));

    private static final Map<String, Integer> TENS = Map.of("twenty", 20, "thirty", 30, "forty", 40, "fifty", 50,
            "sixty", 60, "seventy", 70, "eighty", 80, "ninety", 90);

    private NumberWords() {}

    /** The number starting at {@code i}, or null. */
    public static Read read(List<Token> tokens, int i) {
        if (i >= tokens.size() || tokens.get(i).used) {
            return null;
        }
        Token t = tokens.get(i);
        if (t.isNumber()) {
            return withHalf(tokens, i, t.value, 1);
        }
        if (!t.isWord()) {
            return null;
        }
        String w = t.text;
        String next = text(tokens, i + 1);
        String next2 = text(tokens, i + 2);
        if (w.equals("a") || w.equals("an")) {
            switch (next) {
                case "half":
                    return new Read(0.5, 2, false);
                case "quarter":
                    return new Read(0.25, next2.equals("of") ? 3 : 2, false);
                case "couple":
                case "pair":
                    return new Read(2, next2.equals("of") ? 3 : 2, false);
                case "few":
                    return new Read(3, 2, false);
                case "dozen":
                    return new Read(12, 2, false);
                case "single":
                    return new Read(1, 2, false);
                default:
                    if (tokens.size() > i + 1 && (tokens.get(i + 1).isNumber() || UNITS.containsKey(next)
                            || TENS.containsKey(next))) {
                        return null; // "a 50 GB disk", "a two hour session": the number follows
                    }
                    return withHalf(tokens, i, 1, 1, true);
            }
        }
        if (w.equals("half")) {
            if (next.equals("a") && next2.equals("dozen")) {
                return new Read(6, 3, false);
            }
            if (next.equals("a") || next.equals("an")) {
                return new Read(0.5, 2, false);
            }
            if (next.equals("dozen")) {
                return new Read(6, 2, false);
            }
            return new Read(0.5, 1, false);
        }
        if (w.equals("quarter")) {
            return new Read(0.25, next.equals("of") ? 2 : 1, false);
        }
        if (w.equals("couple") || w.equals("pair")) {
            return new Read(2, next.equals("of") ? 2 : 1, false);
        }
        if (w.equals("several") || w.equals("few")) {
            return new Read(3, 1, false);
        }
        Integer tens = TENS.get(w);
        Integer unit = UNITS.get(w);
        if (tens == null && unit == null) {
            return null;
        }
        double v = tens != null ? tens : unit;
        int len = 1;
        if (tens != null && UNITS.containsKey(next) && UNITS.get(next) < 10 && UNITS.get(next) > 0) {
            v += UNITS.get(next);
            len++;
        }
        if (text(tokens, i + len).equals("hundred")) {
            v *= 100;
            len++;
            if (text(tokens, i + len).equals("and")) {
                Read rest = read(tokens, i + len + 1);
                if (rest != null && !rest.article() && rest.value() < 100) {
                    v += rest.value();
                    len += 1 + rest.length();
                }
            }
        }
        if (text(tokens, i + len).equals("thousand")) {
            v *= 1000;
            len++;
        }
        if (text(tokens, i + len).equals("of") && (w.equals("dozen"))) {
            len++;
        }
        return withHalf(tokens, i, v, len);
    }

    private static Read withHalf(List<Token> tokens, int i, double v, int len) {
        return withHalf(tokens, i, v, len, false);
    }

    /** "one and a half", "2 and a half". */
    private static Read withHalf(List<Token> tokens, int i, double v, int len, boolean article) {
        if (text(tokens, i + len).equals("and") && text(tokens, i + len + 1).equals("a")
                && text(tokens, i + len + 2).equals("half")) {
            return new Read(v + 0.5, len + 3, false);
        }
        return new Read(v, len, article);
    }

    static String text(List<Token> tokens, int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i).text : "";
    }
}
