package io.genos.streaming.rfb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RfbClientTest {

    /** Bytes a VNC server sends, written with the RFB field sizes. */
    static final class Script {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);

        Script version(String v) throws IOException {
            out.writeBytes("RFB " + v + "\n");
            return this;
        }

        Script u8(int... values) throws IOException {
            for (int v : values) {
                out.writeByte(v);
            }
            return this;
        }

        Script u16(int... values) throws IOException {
            for (int v : values) {
                out.writeShort(v);
            }
            return this;
        }

        Script s32(int... values) throws IOException {
            for (int v : values) {
                out.writeInt(v);
            }
            return this;
        }

        Script string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
            return this;
        }

        /** ServerInit for a w x h desktop named "test". */
        Script serverInit(int w, int h) throws IOException {
            u16(w, h);
            out.write(new byte[16]);
            return string("test");
        }

        /** Little-endian 32bpp pixels, as our SetPixelFormat asks for. */
        Script pixels(int... rgb) throws IOException {
            for (int p : rgb) {
                out.writeByte(p & 0xFF);
                out.writeByte(p >> 8 & 0xFF);
                out.writeByte(p >> 16 & 0xFF);
                out.writeByte(0);
            }
            return this;
        }
    }

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private RfbClient handshake(Script script, String password) throws IOException {
        return RfbClient.handshake(new ByteArrayInputStream(script.bytes.toByteArray()), sent, password, () -> {});
    }

    private static byte[] challenge() {
        byte[] challenge = new byte[16];
        for (int i = 0; i < 16; i++) {
            challenge[i] = (byte) (i * 17 + 3);
        }
        return challenge;
    }

    @Test
    void negotiates38AndAnswersTheVncChallengeWithTheBitReversedPasswordAsDesKey() throws Exception {
        Script server = new Script().version("003.008").u8(2, 1, 2);
        server.out.write(challenge());
        server.s32(0).serverInit(640, 480);

        RfbClient client = handshake(server, "ab");

        byte[] out = sent.toByteArray();
        assertThat(new String(out, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("RFB 003.008\n");
        assertThat(out[12]).as("chosen security type").isEqualTo((byte) 2);
        // 'a' = 0x61 reversed is 0x86, 'b' = 0x62 reversed is 0x46
        Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[] {(byte) 0x86, 0x46, 0, 0, 0, 0, 0, 0}, "DES"));
        assertThat(Arrays.copyOfRange(out, 13, 29)).isEqualTo(des.doFinal(challenge()));
        assertThat(out[29]).as("ClientInit shared flag").isEqualTo((byte) 1);
        assertThat(out[30]).as("SetPixelFormat").isEqualTo((byte) 0);
        assertThat(out[34]).as("32 bits per pixel").isEqualTo((byte) 32);
        assertThat(client.version()).isEqualTo("3.8");
        assertThat(client.framebuffer().width()).isEqualTo(640);
        assertThat(client.framebuffer().height()).isEqualTo(480);
        assertThat(client.desktopName()).isEqualTo("test");
    }

    @Test
    void aRejectedPasswordFailsWithTheServersReason() throws Exception {
        Script server = new Script().version("003.008").u8(1, 2);
        server.out.write(challenge());
        server.s32(1).string("Authentication failure");

        assertThatThrownBy(() -> handshake(server, "wrong"))
                .isInstanceOf(RfbException.class)
                .hasMessage("VNC authentication failed: Authentication failure")
                .extracting(e -> ((RfbException) e).reason()).isEqualTo(RfbException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void aServerThatRequiresAPasswordIsReportedWhenNoneIsGiven() throws Exception {
        Script server = new Script().version("003.008").u8(1, 2);
        assertThatThrownBy(() -> handshake(server, null))
                .isInstanceOf(RfbException.class)
                .extracting(e -> ((RfbException) e).reason()).isEqualTo(RfbException.Reason.PASSWORD_REQUIRED);
    }

    @Test
    void fallsBackToRfb33WhereTheServerChoosesSecurityNone() throws Exception {
        Script server = new Script().version("003.003").s32(1).serverInit(100, 50);
        RfbClient client = handshake(server, null);
        assertThat(new String(sent.toByteArray(), 0, 12, StandardCharsets.US_ASCII)).isEqualTo("RFB 003.003\n");
        assertThat(client.version()).isEqualTo("3.3");
        assertThat(client.framebuffer().width()).isEqualTo(100);
    }

    @Test
    void refusesSomethingThatIsNotAVncServer() {
        assertThatThrownBy(() -> RfbClient.handshake(new ByteArrayInputStream("HTTP/1.1 400\r\n\r\n".getBytes()), sent, null, () -> {}))
                .isInstanceOf(RfbException.class).hasMessageContaining("Not a VNC server");
    }

    private RfbClient connectedClient(int w, int h, Script messages) throws IOException {
        Script server = new Script().version("003.008").u8(1, 1).s32(0).serverInit(w, h);
        server.out.write(messages.bytes.toByteArray());
        return handshake(server, null);
    }

    static final class Recorder implements RfbListener {
        final List<String> events = new ArrayList<>();
        int[] cursor;

        @Override public void resized(int w, int h) { events.add("resized " + w + "x" + h); }
        @Override public void copied(int sx, int sy, int w, int h, int dx, int dy) { events.add("copied " + sx + "," + sy + " " + w + "x" + h + " to " + dx + "," + dy); }
        @Override public void updated(int x, int y, int w, int h) { events.add("updated " + x + "," + y + " " + w + "x" + h); }
        @Override public void cursor(int hx, int hy, int w, int h, int[] argb) { events.add("cursor " + w + "x" + h + " hot " + hx + "," + hy); cursor = argb.clone(); }
        @Override public void updateComplete() { events.add("complete"); }
        @Override public void clipboard(String text) { events.add("clipboard " + text); }
    }

    @Test
    void decodesRawAndCopyRectIntoTheFramebufferInServerOrder() throws Exception {
        Script messages = new Script().u8(0, 0).u16(2)
                .u16(1, 1, 2, 2).s32(RfbClient.ENCODING_RAW).pixels(0x112233, 0x445566, 0x778899, 0xAABBCC)
                .u16(0, 0, 2, 1).s32(RfbClient.ENCODING_COPY_RECT).u16(1, 2);
        RfbClient client = connectedClient(4, 3, messages);
        Recorder recorder = new Recorder();

        client.readMessage(recorder);

        int[] fb = client.framebuffer().pixels();
        assertThat(fb[1 * 4 + 1]).isEqualTo(0x112233);
        assertThat(fb[1 * 4 + 2]).isEqualTo(0x445566);
        assertThat(fb[2 * 4 + 1]).isEqualTo(0x778899);
        assertThat(fb[2 * 4 + 2]).isEqualTo(0xAABBCC);
        // copy of (1,2) 2x1 -> (0,0)
        assertThat(fb[0]).isEqualTo(0x778899);
        assertThat(fb[1]).isEqualTo(0xAABBCC);
        assertThat(recorder.events).containsExactly("updated 1,1 2x2", "copied 1,2 2x1 to 0,0", "complete");
    }

    @Test
    void turnsTheCursorBitmaskIntoAlpha() throws Exception {
        Script messages = new Script().u8(0, 0).u16(1)
                .u16(1, 0, 2, 1).s32(RfbClient.ENCODING_CURSOR).pixels(0xFF0000, 0x00FF00).u8(0b1000_0000);
        RfbClient client = connectedClient(4, 3, messages);
        Recorder recorder = new Recorder();

        client.readMessage(recorder);

        assertThat(recorder.events).containsExactly("cursor 2x1 hot 1,0", "complete");
        assertThat(recorder.cursor).containsExactly(0xFFFF0000, 0x00000000);
    }

    @Test
    void followsDesktopSizeChangesAndLearnsThatSetDesktopSizeIsSupported() throws Exception {
        Script messages = new Script().u8(0, 0).u16(2)
                .u16(0, 0, 8, 6).s32(RfbClient.ENCODING_EXTENDED_DESKTOP_SIZE).u8(1, 0, 0, 0).s32(7).u16(0, 0, 8, 6).s32(0)
                .u16(0, 0, 0, 0).s32(RfbClient.ENCODING_LAST_RECT);
        RfbClient client = connectedClient(4, 3, messages);
        Recorder recorder = new Recorder();
        assertThat(client.supportsSetDesktopSize()).isFalse();

        client.readMessage(recorder);

        assertThat(recorder.events).containsExactly("resized 8x6", "complete");
        assertThat(client.framebuffer().pixels()).hasSize(48);
        assertThat(client.supportsSetDesktopSize()).isTrue();
        sent.reset();
        assertThat(client.setDesktopSize(1280, 720)).isTrue();
        byte[] out = sent.toByteArray();
        assertThat(out).hasSize(24);
        assertThat(out[0] & 0xFF).isEqualTo(251);
        assertThat((out[2] & 0xFF) << 8 | out[3] & 0xFF).isEqualTo(1280);
        assertThat(out[11]).as("screen id").isEqualTo((byte) 7);
    }

    @Test
    void rejectsARectangleOutsideTheFramebuffer() throws Exception {
        Script messages = new Script().u8(0, 0).u16(1).u16(3, 0, 2, 1).s32(RfbClient.ENCODING_RAW).pixels(1, 2);
        RfbClient client = connectedClient(4, 3, messages);
        assertThatThrownBy(() -> client.readMessage(new Recorder()))
                .isInstanceOf(RfbException.class).hasMessageContaining("outside the 4x3 framebuffer");
    }

    @Test
    void readsServerCutTextAsLatin1() throws Exception {
        Script latin1 = new Script().u8(3, 0, 0, 0).s32(5);
        latin1.out.write("h\u00e9llo".getBytes(StandardCharsets.ISO_8859_1));
        RfbClient client = connectedClient(4, 3, latin1);
        Recorder recorder = new Recorder();
        client.readMessage(recorder);
        assertThat(recorder.events).containsExactly("clipboard h\u00e9llo");
    }

    @Test
    void sendsPointerAndKeyEventsWithClampedCoordinates() throws Exception {
        RfbClient client = connectedClient(4, 3, new Script());
        sent.reset();
        client.pointer(100, -5, 1);
        client.key(0xFF0D, true);
        assertThat(sent.toByteArray()).containsExactly(5, 1, 0, 3, 0, 0, 4, 1, 0, 0, 0, 0, (byte) 0xFF, 0x0D);
    }
}
