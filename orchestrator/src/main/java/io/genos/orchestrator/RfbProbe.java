package io.genos.orchestrator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Tells whether a VNC server answers: it connects and reads the 12-byte RFB banner, e.g. "RFB 003.008\n". */
final class RfbProbe {
    private static final Pattern BANNER = Pattern.compile("RFB \\d{3}\\.\\d{3}\n");

    private RfbProbe() {}

    /** @return the banner without its newline, e.g. "RFB 003.008" */
    static String banner(InetSocketAddress address, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            InputStream in = s.getInputStream();
            byte[] b = in.readNBytes(12);
            String banner = new String(b, StandardCharsets.ISO_8859_1);
            if (!BANNER.matcher(banner).matches()) {
                throw new IOException("not a VNC server: it sent \"" + banner.strip() + "\" instead of an RFB banner");
            }
            return banner.strip();
        }
    }
}
