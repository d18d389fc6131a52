package io.genos.streaming.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Frames are counted by their sync instructions, not by text that merely contains "sync,". */
class FrameCountTest {

    @Test
    void countsSyncInstructionsOnly() {
        assertThat(GuacamoleTunnelHandler.frames("4.sync,8.12345678;".toCharArray())).isEqualTo(1);
        assertThat(GuacamoleTunnelHandler.frames(("3.img,1.1,2.14,1.0,9.image/png,1.0,1.0;4.blob,1.1,8.AAAA4.sy;"
                + "3.end,1.1;4.sync,3.100;4.sync,3.200;").toCharArray())).isEqualTo(2);
        assertThat(GuacamoleTunnelHandler.frames("9.clipboard,12.x4.sync,abcd;".toCharArray())).isZero();
        assertThat(GuacamoleTunnelHandler.frames(new char[0])).isZero();
    }
}
