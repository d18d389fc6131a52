package io.genos.composer.internal;

/**
 * One token of a turn. {@code text} is lower case; {@code raw} keeps the user's case. Numbers carry their value
 * (and their text, for versions such as {@code 22.04}); resolutions carry width and height.
 */
public final class Token {

    public enum Type { WORD, NUMBER, HOST, RESOLUTION, PUNCT }

    final Type type;
    final String text;
    final String raw;
    final int start;
    final int end;
    final double value;
    final int width;
    final int height;
    /** Set once a reading has used this token, so that no other reading takes it again. */
    boolean used;

    Token(Type type, String text, String raw, int start, int end, double value, int width, int height) {
        this.type = type;
        this.text = text;
        this.raw = raw;
        this.start = start;
        this.end = end;
        this.value = value;
        this.width = width;
        this.height = height;
    }

    public Type type() {
        return type;
    }

    public String text() {
        return text;
    }

    public double value() {
        return value;
    }

    boolean is(String word) {
        return type == Type.WORD && text.equals(word);
    }

    boolean isAny(java.util.Set<String> words) {
        return type == Type.WORD && words.contains(text);
    }

    boolean isNumber() {
        return type == Type.NUMBER;
    }

    boolean isWord() {
        return type == Type.WORD;
    }

    boolean isPunct() {
        return type == Type.PUNCT;
    }

    /** Sentence-level boundary: . ; ! ? and new lines. */
    boolean isSentenceEnd() {
        return type == Type.PUNCT && (text.equals(".") || text.equals(";") || text.equals("!") || text.equals("?")
                || text.equals("\n"));
    }

    boolean isIntegral() {
        return type == Type.NUMBER && value == Math.rint(value) && !text.contains(".");
    }

    @Override
    public String toString() {
        return type == Type.WORD ? text : type + "(" + text + ")";
    }
}
