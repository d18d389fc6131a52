package io.genos.orchestrator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tells whether a SPICE server answers: it connects, sends the link message of a main channel and reads the server's
 * link header. Layout (spice-protocol's {@code SpiceLinkHeader} and {@code SpiceLinkMess}, packed, little-endian):
 * header {@code magic "REDQ", major 2, minor 2, size of what follows}; message {@code connection_id u32, channel_type
 * u8 (1 = main), channel_id u8, num_common_caps u32, num_channel_caps u32, caps_offset u32 (18, where the caps would
 * start)}. The server answers with a header of its own ({@code "REDQ"}, its version, the size of its
 * {@code SpiceLinkReply}), then the reply, whose first field is an error code (0 = ok). The probe closes before any
 * authentication.
 */
public final class SpiceProbe {
    /** "REDQ" as the bytes on the wire. */
    static final int MAGIC = 'R' | 'E' << 8 | 'D' << 16 | 'Q' << 24;
    static final int LINK_MESS_SIZE = 18;

    private SpiceProbe() {}

    /** The 16-byte header and 18-byte link message a client sends first, asking for the main channel. */
    static byte[] linkMessage() {
        ByteBuffer b = ByteBuffer.allocate(16 + LINK_MESS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(2).putInt(2).putInt(LINK_MESS_SIZE);
        b.putInt(0).put((byte) 1).put((byte) 0).putInt(0).putInt(0).putInt(LINK_MESS_SIZE);
        return b.array();
    }

    /**
     * Sends a link message and reads the server's link header and the error code of its reply.
     *
     * @return the server's protocol version, e.g. "SPICE 2.2"
     * @throws IOException when nothing answers, or something that is not a SPICE server (no "REDQ"), or it refuses
     */
    public static String link(InetSocketAddress address, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(linkMessage());
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(16);
            if (head.length < 16) {
                throw new IOException("not a SPICE server: it sent " + head.length + " bytes and closed");
            }
            ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            if (h.getInt() != MAGIC) {
                throw new IOException("not a SPICE server: its answer does not start with \"REDQ\"");
            }
            int major = h.getInt();
            int minor = h.getInt();
            int size = h.getInt();
            if (size >= 4) {
                byte[] error = in.readNBytes(4);
                if (error.length == 4) {
                    int code = ByteBuffer.wrap(error).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    if (code != 0) {
                        throw new IOException("the SPICE server refused the link (error " + code + ")");
                    }
                }
            }
            return "SPICE " + major + "." + minor;
        }
    }
}
