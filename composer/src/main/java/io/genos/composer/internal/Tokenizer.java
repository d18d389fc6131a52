package io.genos.composer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a turn into tokens: words (with {@code c++}, {@code c#}, {@code node.js} kept whole), numbers (with their
 * version text), host names and IP addresses, screen resolutions ({@code 1920x1080}) and punctuation. Digits glued
 * to letters are split ({@code 8GB} is {@code 8} then {@code gb}). Hyphenated words are split into their parts unless
 * the lexicon knows the whole ({@code firefox-esr}, {@code debian-xfce}).
 */
public final class Tokenizer {

    private static final String TLDS = "com|org|net|io|dev|de|uk|fr|edu|gov|co|ai|app|cloud|sh|me|info|eu|us|ca|jp"
            + "|cn|ru|nl|se|no|fi|dk|ch|at|be|it|es|pl|cz|in|au|nz|br|mx|tech|site|xyz|local|internal|lan|corp|rs|py|so";

    private static final Pattern TOKEN = Pattern.compile(
            "(?<res>\\d{3,5}\\s*(?:x|\\*|by)\\s*\\d{3,5})(?![0-9])"
                    + "|(?<ip>\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,2})?)(?![0-9.])"
                    + "|(?<jsword>[a-z][a-z0-9]*\\.(?:js|ts))(?![a-z0-9])"
                    + "|(?<host>(?:https?://)?(?:\\*\\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:" + TLDS + ")"
                    + "(?![a-z0-9-])(?::\\d{1,5})?(?:/[^\\s,;]*)?)"
                    + "|(?<num>\\d+(?:\\.\\d+)*)"
                    + "|(?<word>\\.net(?![a-z])|[a-z_][a-z0-9_]*(?:-[a-z0-9_]+)*(?:'[a-z]+)?(?:\\+\\+|#)?)"
                    + "|(?<punct>[,;:!?()/&+=.\\n\\[\\]{}<>\"]|-{1,2})");

    private static final Pattern HOURS_MINUTES = Pattern.compile("(h|hr|hrs)(\\d{1,2})(m|min|mins)?");

    private Tokenizer() {}

    /** Tokenizes with no hyphenated words known: every hyphenated word is split. */
    public static List<Token> tokenize(String turn) {
        return tokenize(turn, w -> false);
    }

    public static List<Token> tokenize(String turn, Predicate<String> knownHyphenated) {
        String norm = normalise(turn);
        StringBuilder lowerB = new StringBuilder(norm.length());
        for (int i = 0; i < norm.length(); i++) {
            lowerB.append(Character.toLowerCase(norm.charAt(i)));
        }
        String lower = lowerB.toString();
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(lower);
        while (m.find()) {
            int s = m.start();
            int e = m.end();
            String text = m.group();
            String raw = norm.substring(s, e);
            if (m.group("res") != null) {
                String[] wh = text.split("\\s*(?:x|\\*|by)\\s*");
                out.add(new Token(Token.Type.RESOLUTION, text, raw, s, e, 0, Integer.parseInt(wh[0]),
                        Integer.parseInt(wh[1])));
            } else if (m.group("ip") != null || m.group("host") != null) {
                String host = text.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
                out.add(new Token(Token.Type.HOST, host, raw, s, e, 0, 0, 0));
            } else if (m.group("num") != null) {
                out.add(new Token(Token.Type.NUMBER, text, raw, s, e, numberValue(text), 0, 0));
            } else if (m.group("word") != null || m.group("jsword") != null) {
                Matcher hm = HOURS_MINUTES.matcher(text);
                if (hm.matches() && !out.isEmpty() && out.getLast().type == Token.Type.NUMBER
                        && out.getLast().end == s) {
                    // "1h30m", "1h30": the hours' unit, then the minutes
                    int ms = s + hm.start(2);
                    out.add(new Token(Token.Type.WORD, hm.group(1), hm.group(1), s, ms, 0, 0, 0));
                    out.add(new Token(Token.Type.NUMBER, hm.group(2), hm.group(2), ms, ms + hm.group(2).length(),
                            numberValue(hm.group(2)), 0, 0));
                    String unit = hm.group(3) == null ? "min" : hm.group(3);
                    out.add(new Token(Token.Type.WORD, unit, unit, ms + hm.group(2).length(), e, 0, 0, 0));
                } else {
                    addWord(out, text, raw, s, knownHyphenated);
                }
            } else if (text.equals("-") && !out.isEmpty() && out.getLast().type == Token.Type.NUMBER
                    && out.getLast().end == s && e < lower.length() && Character.isLetter(lower.charAt(e))) {
                continue; // "8-core", "2-hour": the dash only joins the number to its unit
            } else {
                out.add(new Token(Token.Type.PUNCT, text, raw, s, e, 0, 0, 0));
            }
        }
        return out;
    }

    private static void addWord(List<Token> out, String text, String raw, int s, Predicate<String> known) {
        if (!text.contains("-") || known.test(text)) {
            out.add(new Token(Token.Type.WORD, text, raw, s, s + text.length(), 0, 0, 0));
            return;
        }
        int at = 0;
        for (String part : text.split("-")) {
            if (!part.isEmpty()) {
                int ps = s + at;
                if (part.chars().allMatch(Character::isDigit)) {
                    out.add(new Token(Token.Type.NUMBER, part, raw.substring(at, at + part.length()), ps,
                            ps + part.length(), numberValue(part), 0, 0));
                } else if (part.matches("\\d+[a-z]+")) {
                    // "4k-display" or "8gb-ram": split the digits from the letters like the main pattern does
                    int d = 0;
                    while (Character.isDigit(part.charAt(d))) {
                        d++;
                    }
                    out.add(new Token(Token.Type.NUMBER, part.substring(0, d), part.substring(0, d), ps, ps + d,
                            numberValue(part.substring(0, d)), 0, 0));
                    out.add(new Token(Token.Type.WORD, part.substring(d), part.substring(d), ps + d,
                            ps + part.length(), 0, 0, 0));
                } else {
                    out.add(new Token(Token.Type.WORD, part, raw.substring(at, at + part.length()), ps,
                            ps + part.length(), 0, 0, 0));
                }
            }
            at += part.length() + 1;
        }
    }

    static double numberValue(String text) {
        int first = text.indexOf('.');
        if (first < 0) {
            return Double.parseDouble(text);
        }
        int second = text.indexOf('.', first + 1);
        return Double.parseDouble(second < 0 ? text : text.substring(0, second));
    }

    static String normalise(String s) {
        return s.replace('\u2019', '\'').replace('\u2018', '\'').replace('\u201c', '"').replace('\u201d', '"')
                .replace('\u2013', '-').replace('\u2014', '-').replace('\u00d7', 'x').replace('\u00a0', ' ')
                .replace('\u2192', ' ');
    }
}
