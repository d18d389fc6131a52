package io.genos.composer.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The software vocabulary: aliases people use (python, node.js, postgres, "data science") mapped to Debian package
 * names, loaded from {@code software.txt}. Matching folds plurals and takes the longest alias at a position.
 */
public final class Software {

    /** One vocabulary line. */
    public record Entry(String label, List<String> packages, boolean gui, boolean vm, boolean ctx, boolean purpose,
            boolean ext) {}

    /** A match at a token position: the entry and how many tokens it covers. */
    public record Match(Entry entry, int length) {}

    private record Alias(String[] words, Entry entry) {}

    /** Debian names that people write literally, beyond the ones the vocabulary lists. */
    private static final Pattern LITERAL = Pattern.compile(
            "python3-[a-z0-9.-]+|openjdk-\\d+-j(?:dk|re)(?:-headless)?|postgresql-\\d+|lib[a-z0-9.+-]+-dev|gcc-\\d+|g\\+\\+-\\d+"
                    + "|clang-\\d+|php\\d\\.\\d-[a-z]+|ruby-[a-z0-9-]+|node-[a-z0-9-]+|r-cran-[a-z0-9.-]+");

    private static final Software BUILT_IN = load();

    private final Map<String, List<Alias>> byFirstWord;
    private final Set<String> hyphenated;
    private final Set<String> packageNames;

    private Software(List<Alias> aliases, Set<String> hyphenated, Set<String> packageNames) {
        Map<String, List<Alias>> m = new HashMap<>();
        for (Alias a : aliases) {
            m.computeIfAbsent(a.words()[0], k -> new ArrayList<>()).add(a);
        }
        m.values().forEach(l -> l.sort(Comparator.comparingInt((Alias a) -> -a.words().length)));
        this.byFirstWord = m;
        this.hyphenated = hyphenated;
        this.packageNames = packageNames;
    }

    public static Software builtIn() {
        return BUILT_IN;
    }

    private static Software load() {
        try (InputStream in = Software.class.getResourceAsStream("software.txt")) {
            if (in == null) {
                throw new IllegalStateException("software.txt is missing from the build");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Software parse(List<String> lines) {
        List<Alias> aliases = new ArrayList<>();
        Set<String> hyphenated = new HashSet<>();
        Set<String> packageNames = new HashSet<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int arrow = l.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException("software.txt line " + n + ": no '=>' in " + l);
            }
            String right = l.substring(arrow + 2).strip();
            String flags = "";
            int bracket = right.indexOf('[');
            if (bracket >= 0) {
                flags = right.substring(bracket + 1, right.indexOf(']'));
                right = right.substring(0, bracket).strip();
            }
            List<String> pkgs = right.isEmpty() ? List.of() : Arrays.asList(right.split("\\s+"));
            String[] names = l.substring(0, arrow).split("\\|");
            List<String> flagList = Arrays.asList(flags.split("\\s*,\\s*"));
            Entry e = new Entry(names[0].strip(), List.copyOf(pkgs), flagList.contains("gui"), flagList.contains("vm"),
                    flagList.contains("ctx"), flagList.contains("purpose"), flagList.contains("ext"));
            for (String name : names) {
                addAlias(aliases, hyphenated, name.strip(), e);
            }
            for (String p : pkgs) {
                packageNames.add(p);
                if (!flagList.contains("purpose") && pkgs.size() == 1) {
                    // a Debian name is never an ordinary English word: no context needed
                    addAlias(aliases, hyphenated, p, new Entry(e.label(), e.packages(), e.gui(), e.vm(), false, false, e.ext()));
                }
            }
        }
        return new Software(aliases, hyphenated, packageNames);
    }

    private static void addAlias(List<Alias> aliases, Set<String> hyphenated, String name, Entry e) {
        if (name.contains("-") && !name.contains(" ")) {
            hyphenated.add(name);
        }
        List<String> words = new ArrayList<>();
        for (Token t : Tokenizer.tokenize(name, w -> true)) {
            words.add(t.text);
        }
        if (!words.isEmpty()) {
            aliases.add(new Alias(words.toArray(String[]::new), e));
        }
    }

    /** Whether a hyphenated word is one the vocabulary knows whole (a Debian name such as {@code firefox-esr}). */
    public boolean knowsHyphenated(String word) {
        return hyphenated.contains(word) || LITERAL.matcher(word).matches();
    }

    public boolean isPackageName(String name) {
        return packageNames.contains(name);
    }

    /** The longest entry whose alias starts at {@code i}, or null. */
    public Match match(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        if (t.type != Token.Type.WORD && t.type != Token.Type.HOST) {
            return null;
        }
        if (t.type == Token.Type.WORD && t.text.contains("-") && LITERAL.matcher(t.text).matches()
                && !byFirstWord.containsKey(t.text)) {
            return new Match(new Entry(t.text, List.of(t.text), false, false, false, false, false), 1);
        }
        List<Alias> candidates = byFirstWord.get(t.text);
        if (candidates == null) {
            String singular = singular(t.text);
            candidates = singular == null ? null : byFirstWord.get(singular);
            if (candidates == null) {
                return null;
            }
        }
        for (Alias a : candidates) {
            if (matches(a.words(), tokens, i)) {
                return new Match(a.entry(), a.words().length);
            }
        }
        return null;
    }

    private static boolean matches(String[] words, List<Token> tokens, int i) {
        if (i + words.length > tokens.size()) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            Token t = tokens.get(i + k);
            if (t.used) {
                return false;
            }
            if (!t.text.equals(words[k]) && !words[k].equals(singular(t.text))) {
                return false;
            }
        }
        return true;
    }

    static String singular(String w) {
        if (w.length() > 4 && w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) {
            return w.substring(0, w.length() - 1);
        }
        return null;
    }
}
