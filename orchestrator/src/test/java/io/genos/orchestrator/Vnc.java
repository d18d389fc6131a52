package io.genos.orchestrator;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** Just enough of an RFB client for tests: the banner, and VNC authentication (RFB 3.8, security type 2). */
public final class Vnc {
    private Vnc() {}

    /** Waits until the server sends its banner; returns it, e.g. "RFB 003.008". */
    public static String awaitBanner(InetSocketAddress address, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return RfbProbe.banner(address, 1000);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Authenticates with VNC authentication.
     *
     * @return the SecurityResult: 0 = OK, 1 = failed
     * @throws IllegalStateException when the server does not offer VNC authentication
     */
    public static int authenticate(InetSocketAddress address, String password) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, 2000);
            s.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            in.readNBytes(12);
            out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            int n = in.readUnsignedByte();
            if (n == 0) {
                throw new IllegalStateException("the server refused the connection");
            }
            byte[] types = in.readNBytes(n);
            boolean vncAuth = false;
            for (byte t : types) {
                vncAuth |= t == 2;
            }
            if (!vncAuth) {
                throw new IllegalStateException("the server does not offer VNC authentication");
            }
            out.write(2);
            byte[] challenge = in.readNBytes(16);
            byte[] key = new byte[8];
            byte[] pw = password.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 8 && i < pw.length; i++) {
                key[i] = (byte) (Integer.reverse(pw[i] & 0xff) >>> 24);
            }
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            out.write(des.doFinal(challenge));
            return in.readInt();
        }
    }
}
