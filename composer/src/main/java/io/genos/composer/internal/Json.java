package io.genos.composer.internal;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Lifetime;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the command line, so that {@code genos compose} does not pay for loading a
 * full data-binding library at every start. The writer follows the spec's JSON contract field by field (a test
 * checks it against Jackson's output); the reader handles the plain JSON of the image catalog.
 */
public final class Json {

    private Json() {}

    /** The spec as ordered maps and lists, with the field names and order of the JSON contract. */
    public static Map<String, Object> tree(EnvironmentSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "apiVersion", s.apiVersion());
        put(m, "name", s.name());
        put(m, "kind", s.kind() == null ? null : s.kind().json());
        put(m, "image", s.image());
        Os os = s.os();
        if (os != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            put(o, "family", os.family());
            put(o, "distro", os.distro());
            put(o, "version", os.version());
            m.put("os", o);
        }
        put(m, "desktop", s.desktop() == null ? null : s.desktop().json());
        Resources r = s.resources();
        if (r != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cpus", r.cpus());
            o.put("memoryMiB", r.memoryMiB());
            put(o, "diskGiB", r.diskGiB());
            put(o, "gpus", r.gpus());
            m.put("resources", o);
        }
        put(m, "packages", s.packages());
        Network n = s.network();
        if (n != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            put(o, "egress", n.egress() == null ? null : n.egress().name().toLowerCase(java.util.Locale.ROOT));
            put(o, "allow", n.allow());
            put(o, "ports", n.ports());
            m.put("network", o);
        }
        Streaming st = s.streaming();
        if (st != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            put(o, "protocol", st.protocol() == null ? null : st.protocol().json());
            put(o, "width", st.width());
            put(o, "height", st.height());
            m.put("streaming", o);
        }
        Lifetime l = s.lifetime();
        if (l != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            put(o, "ttl", l.ttl());
            put(o, "idleTimeout", l.idleTimeout());
            m.put("lifetime", o);
        }
        put(m, "notes", s.notes());
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** Writes maps, lists, strings, numbers, booleans and null as compact JSON. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder(512);
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(b, l.get(i));
            }
            b.append(']');
        } else if (v instanceof EnvironmentSpec s) {
            write(b, tree(s));
        } else {
            string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Parses JSON into maps, lists, strings, numbers (Long or Double), booleans and null. */
    public static Object parse(String json) {
        Parser p = new Parser(json);
        Object v = p.value();
        p.ws();
        if (p.i != json.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }

        Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek() == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = str();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (peek() == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek() == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (peek() == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return str();
                case 't':
                    lit("true");
                    return Boolean.TRUE;
                case 'f':
                    lit("false");
                    return Boolean.FALSE;
                case 'n':
                    lit("null");
                    return null;
                default:
                    return number();
            }
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private void lit(String word) {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
        }

        private Object number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String n = s.substring(start, i);
            if (n.isEmpty()) {
                throw error("unexpected character");
            }
            return n.contains(".") || n.contains("e") || n.contains("E") ? (Object) Double.parseDouble(n)
                    : (Object) Long.parseLong(n);
        }

        private String str() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = peek();
                    i++;
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}
