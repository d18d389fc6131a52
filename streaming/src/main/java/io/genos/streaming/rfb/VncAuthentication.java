package io.genos.streaming.rfb;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** VNC authentication (security type 2): DES-ECB of the 16-byte challenge with the bit-reversed password as key. */
final class VncAuthentication {

    private VncAuthentication() {}

    static byte[] response(String password, byte[] challenge) {
        if (challenge.length != 16) {
            throw new IllegalArgumentException("VNC challenge must be 16 bytes, was " + challenge.length);
        }
        byte[] key = new byte[8];
        byte[] raw = password.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 8 && i < raw.length; i++) {
            key[i] = (byte) (Integer.reverse(raw[i] & 0xFF) >>> 24);
        }
        try {
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return des.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES is not available in this JDK", e);
        }
    }
}
