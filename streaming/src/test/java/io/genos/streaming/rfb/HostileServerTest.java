package io.genos.streaming.rfb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.streaming.rfb.RfbClientTest.Recorder;
import io.genos.streaming.rfb.RfbClientTest.Script;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A VNC server is the user's to replace: what it announces is checked against {@link RfbLimits} before anything is
 * allocated, and one that drops the password GenOS holds for it is refused. Each refusal names the limit; the same
 * messages within the limits are accepted (the controls).
 */
class HostileServerTest {

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private RfbClient handshake(Script script, String password) throws IOException {
        return RfbClient.handshake(new ByteArrayInputStream(script.bytes.toByteArray()), sent, password, () -> {});
    }

    private RfbClient connected(Script messages) throws IOException {
        Script server = new Script().version("003.008").u8(1, 1).s32(0).serverInit(640, 480);
        server.out.write(messages.bytes.toByteArray());
        return handshake(server, null);
    }

    private static RfbException.Reason reason(Throwable e) {
        return ((RfbException) e).reason();
    }

    @Test
    void anAbsurdDesktopIsRefusedAtServerInit() throws Exception {
        // 65535 x 65535 would be 17 GB of pixels (and overflows an int); 20000 x 20000 1.6 GB
        for (int[] size : new int[][] {{65535, 65535}, {20000, 20000}, {8192, 8192}}) {
            Script server = new Script().version("003.008").u8(1, 1).s32(0).serverInit(size[0], size[1]);
            assertThatThrownBy(() -> handshake(server, null)).isInstanceOf(RfbException.class)
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(RfbException.Reason.LIMIT))
                    .hasMessageContaining(size[0] + "x" + size[1]).hasMessageContaining("limit of 8192x8192");
        }
        Script fourK = new Script().version("003.008").u8(1, 1).s32(0).serverInit(3840, 2160);
        assertThat(handshake(fourK, null).framebuffer().width()).isEqualTo(3840);
    }

    @Test
    void aResizeBeyondTheLimitIsRefusedBeforeTheFramebufferGrows() throws Exception {
        Script update = new Script().u8(0, 0).u16(1).u16(0, 0, 30000, 30000).s32(RfbClient.ENCODING_DESKTOP_SIZE);
        RfbClient client = connected(update);
        assertThatThrownBy(() -> client.readMessage(new Recorder())).isInstanceOf(RfbException.class)
                .hasMessageContaining("30000x30000");
        assertThat(client.framebuffer().pixels()).hasSize(640 * 480);
    }

    @Test
    void aHugeCursorIsRefusedBeforeItsPixelsAreRead() throws Exception {
        Script update = new Script().u8(0, 0).u16(1).u16(0, 0, 4000, 4000).s32(RfbClient.ENCODING_CURSOR);
        RfbClient client = connected(update);
        assertThatThrownBy(() -> client.readMessage(new Recorder())).isInstanceOf(RfbException.class)
                .hasMessageContaining("4000x4000 cursor").hasMessageContaining("limit of 256x256");

        Script small = new Script().u8(0, 0).u16(1).u16(1, 1, 2, 1).s32(RfbClient.ENCODING_CURSOR).pixels(0xFF0000, 0x00FF00)
                .u8(0b1100_0000);
        Recorder r = new Recorder();
        connected(small).readMessage(r);
        assertThat(r.cursor).hasSize(2);
    }

    @Test
    void clipboardTextBeyondTheLimitIsRefusedBeforeItIsRead() throws Exception {
        for (int length : new int[] {Integer.MAX_VALUE, -1, (1 << 20) + 1}) {
            Script cut = new Script().u8(3, 0, 0, 0).s32(length);
            RfbClient client = connected(cut);
            assertThatThrownBy(() -> client.readMessage(new Recorder())).isInstanceOf(RfbException.class)
                    .hasMessageContaining("clipboard").hasMessageContaining("limit of 1048576");
        }
        Script ok = new Script().u8(3, 0, 0, 0).s32(5);
        ok.out.writeBytes("hello");
        Recorder r = new Recorder();
        connected(ok).readMessage(r);
        assertThat(r.events).contains("clipboard hello");
    }

    @Test
    void aServerThatDropsItsPasswordIsRefused() throws Exception {
        // RFB 3.8 offering only "None" while GenOS holds a password for it
        Script onlyNone = new Script().version("003.008").u8(1, 1).s32(0).serverInit(640, 480);
        assertThatThrownBy(() -> handshake(onlyNone, "secret12")).isInstanceOf(RfbException.class)
                .satisfies(e -> assertThat(reason(e)).isEqualTo(RfbException.Reason.LIMIT))
                .hasMessageContaining("no VNC authentication");
        // RFB 3.3, where the server chooses: None
        Script chosenNone = new Script().version("003.003").s32(1).serverInit(100, 50);
        assertThatThrownBy(() -> handshake(chosenNone, "secret12")).isInstanceOf(RfbException.class)
                .hasMessageContaining("no authentication");
        // the control: without a password, None is what was agreed
        Script none = new Script().version("003.008").u8(1, 1).s32(0).serverInit(640, 480);
        assertThat(handshake(none, null).framebuffer().width()).isEqualTo(640);
    }
}
