package io.genos.streaming.bridge;

/** Appends Guacamole instructions ({@code LENGTH.VALUE,...;}) to a StringBuilder without intermediate objects. */
final class Instructions {

    private static final char[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private Instructions() {}

    static void append(StringBuilder sb, String opcode, Object... args) {
        element(sb, opcode);
        for (Object arg : args) {
            sb.append(',');
            if (arg instanceof Integer || arg instanceof Long) {
                String s = arg.toString();
                sb.append(s.length()).append('.').append(s);
            } else {
                element(sb, String.valueOf(arg));
            }
        }
        sb.append(';');
    }

    private static void element(StringBuilder sb, String value) {
        sb.append(value.codePointCount(0, value.length())).append('.').append(value);
    }

    /** {@code blob,<stream>,<base64 of data[off..off+len)>;} */
    static void blob(StringBuilder sb, int stream, byte[] data, int off, int len) {
        String s = Integer.toString(stream);
        int b64 = (len + 2) / 3 * 4;
        sb.append("4.blob,").append(s.length()).append('.').append(s).append(',').append(b64).append('.');
        int end = off + len;
        int i = off;
        for (; i + 2 < end; i += 3) {
            int v = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | data[i + 2] & 0xFF;
            sb.append(BASE64[v >>> 18]).append(BASE64[v >>> 12 & 63]).append(BASE64[v >>> 6 & 63]).append(BASE64[v & 63]);
        }
        if (i < end) {
            int v = (data[i] & 0xFF) << 16 | (i + 1 < end ? (data[i + 1] & 0xFF) << 8 : 0);
            sb.append(BASE64[v >>> 18]).append(BASE64[v >>> 12 & 63]);
            sb.append(i + 1 < end ? BASE64[v >>> 6 & 63] : '=').append('=');
        }
        sb.append(';');
    }
}
