package io.genos.streaming.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.junit.jupiter.api.Test;

class InstructionsTest {

    @Test
    void writesInstructionsExactlyAsGuacamoleCommonDoes() {
        StringBuilder sb = new StringBuilder();
        Instructions.append(sb, "img", 3, 14, 0, "image/png", 10, 20);
        Instructions.append(sb, "error", "Ünïcode ✓ message", 769);
        assertThat(sb.toString()).isEqualTo(
                new GuacamoleInstruction("img", "3", "14", "0", "image/png", "10", "20").toString()
                        + new GuacamoleInstruction("error", "Ünïcode ✓ message", "769").toString());
    }

    @Test
    void encodesBlobsAsStandardBase64ForEveryPaddingLength() {
        byte[] data = {(byte) 0xFB, 0x00, (byte) 0xFF, 0x10, 0x20, 0x7F, (byte) 0x80};
        for (int length = 0; length <= data.length; length++) {
            StringBuilder sb = new StringBuilder();
            Instructions.blob(sb, 5, data, 0, length);
            String expected = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(data, length));
            assertThat(sb.toString()).isEqualTo(new GuacamoleInstruction("blob", "5", expected).toString());
        }
    }
}
