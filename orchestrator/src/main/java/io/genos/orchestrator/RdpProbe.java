package io.genos.orchestrator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Tells whether an RDP server answers: it connects and sends the first message of every RDP connection, an X.224
 * Connection Request in a TPKT (RFC 1006: version 3, reserved, 16-bit length) carrying an RDP negotiation request for
 * TLS or CredSSP ([MS-RDPBCGR] 2.2.1.1), and expects a TPKT whose X.224 code is Connection Confirm (0xD0). It closes
 * before any security exchange.
 */
public final class RdpProbe {

    /** TPKT (4) + X.224 CR header (7) + RDP_NEG_REQ (8) = 19 bytes. */
    static final byte[] CONNECTION_REQUEST = {
            0x03, 0x00, 0x00, 0x13, // TPKT: version 3, length 19
            0x0e, (byte) 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, // X.224: length indicator 14, CR, dst-ref, src-ref, class 0
            0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00}; // RDP_NEG_REQ: type 1, flags 0, length 8, TLS | HYBRID

    private RdpProbe() {}

    /** @throws IOException when nothing answers or what answers is not an RDP server */
    public static void connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(CONNECTION_REQUEST);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(6);
            if (head.length < 6 || head[0] != 0x03 || (head[5] & 0xf0) != 0xd0) {
                throw new IOException("not an RDP server: no X.224 Connection Confirm in its answer");
            }
        }
    }
}
