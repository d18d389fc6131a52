package io.genos.streaming.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.streaming.rfb.RfbClient;
import io.genos.streaming.rfb.RfbTestAccess;
import java.io.ByteArrayOutputStream;
import org.apache.guacamole.GuacamoleClientException;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.junit.jupiter.api.Test;

/** The client side of a session (instructions from the browser) against an RFB client whose output is captured. */
class VncBridgeSessionTest {

    private final ByteArrayOutputStream rfbOut = new ByteArrayOutputStream();
    private final RfbClient rfb = RfbTestAccess.connectedClient(64, 48, rfbOut);
    private final VncBridgeSession session = new VncBridgeSession(rfb, VncBridge.Options.DEFAULTS);

    private void write(String data) throws Exception {
        session.getWriter().write(data.toCharArray());
    }

    @Test
    void turnsKeyAndMouseInstructionsIntoRfbEventsEvenWhenSplitAcrossWrites() throws Exception {
        rfbOut.reset();
        write("3.key,5.65");
        write("307,1.1;5.mouse,2.10,1.5,1.4;");
        assertThat(rfbOut.toByteArray()).containsExactly(4, 1, 0, 0, 0, 0, (byte) 0xFF, 0x1B, 5, 4, 0, 10, 0, 5);
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void ignoresInstructionsItHasNoUseFor() throws Exception {
        rfbOut.reset();
        write("3.nop;3.ack,1.1,2.OK,1.0;");
        assertThat(rfbOut.size()).isZero();
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void aMalformedInstructionSendsABadRequestErrorAndClosesTheSession() throws Exception {
        assertThatThrownBy(() -> write("5.mouse,4.left,1.5,1.0;"))
                .isInstanceOf(GuacamoleClientException.class)
                .hasMessage("Malformed \"mouse\" instruction: argument 1 is not an integer");

        GuacamoleInstruction error = session.getReader().readInstruction();
        assertThat(error.getOpcode()).isEqualTo("error");
        assertThat(error.getArgs()).containsExactly("Malformed \"mouse\" instruction: argument 1 is not an integer", "768");
        assertThat(session.getReader().readInstruction()).as("end of stream").isNull();
        assertThat(session.isOpen()).isFalse();
        assertThat(rfb.isOpen()).isFalse();
    }

    @Test
    void brokenProtocolSyntaxIsABadRequestToo() throws Exception {
        assertThatThrownBy(() -> write("3.key;x.y;")).isInstanceOf(GuacamoleClientException.class);
        GuacamoleInstruction error = session.getReader().readInstruction();
        assertThat(error.getOpcode()).isEqualTo("error");
        assertThat(error.getArgs().get(1)).isEqualTo("768");
        assertThat(session.isOpen()).isFalse();
    }

    @Test
    void disconnectEndsTheStream() throws Exception {
        write("10.disconnect;");
        assertThat(session.getReader().read()).isNull();
        assertThat(rfb.isOpen()).isFalse();
    }

    @Test
    void aClipboardStreamBecomesClientCutText() throws Exception {
        rfbOut.reset();
        write("9.clipboard,1.2,10.text/plain;4.blob,1.2,8.aGkgdGhl;4.blob,1.2,4.cmU=;3.end,1.2;");
        byte[] out = rfbOut.toByteArray();
        assertThat(out[0]).isEqualTo((byte) 6);
        assertThat(new String(out, 8, out.length - 8, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("hi there");
    }

    /**
     * A VNC server pushing clipboard text faster than the browser takes it: past the queue's limit the session ends
     * with a message instead of growing the heap; below it (the control) everything is delivered.
     */
    @Test
    void outputTheBrowserDoesNotTakeIsBoundedPerSession() throws Exception {
        String text = "x".repeat(1 << 20);
        int underTheLimit = VncBridgeSession.MAX_QUEUED_CHARS / (text.length() * 2) - 1;
        for (int i = 0; i < underTheLimit; i++) {
            session.clipboard(text);
        }
        assertThat(session.isOpen()).isTrue();
        for (int i = 0; i < 20 && session.isOpen(); i++) {
            session.clipboard(text);
        }
        assertThat(session.isOpen()).as("ended once over the limit").isFalse();
        GuacamoleInstruction last = null;
        GuacamoleInstruction next;
        int clipboards = 0;
        while ((next = session.getReader().readInstruction()) != null) {
            clipboards += next.getOpcode().equals("clipboard") ? 1 : 0;
            last = next;
        }
        assertThat(clipboards).isGreaterThanOrEqualTo(underTheLimit);
        assertThat(last.getOpcode()).isEqualTo("error");
        assertThat(last.getArgs().getFirst()).contains("more than the browser takes").contains("MiB");
    }
}
