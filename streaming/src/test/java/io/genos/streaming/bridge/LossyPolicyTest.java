package io.genos.streaming.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** When the bridge goes lossy, and that it comes back: guacd's rules, on synthetic framebuffers. */
class LossyPolicyTest {

    private static final int W = 640;
    private static final int H = 480;

    private static int[] noise(long seed) {
        Random r = new Random(seed);
        int[] pixels = new int[W * H];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextInt(0x1000000);
        }
        return pixels;
    }

    /** Text-like: a white page with a dark glyph stroke every twelve pixels. */
    private static int[] text() {
        int[] pixels = new int[W * H];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % W) % 12 == 0 ? 0x202020 : 0xFFFFFF;
        }
        return pixels;
    }

    @Test
    void aDetailedRegionUpdatedOftenGoesLossyButNotTheFirstTime() {
        LossyPolicy policy = new LossyPolicy(W, H);
        int[] pixels = noise(1);
        long t = 1_000_000;
        policy.updated(0, 0, 256, 256, t);
        assertThat(policy.lossy(pixels, W, 0, 0, 256, 256, t)).as("one update").isFalse();
        for (int i = 1; i <= 4; i++) {
            policy.updated(0, 0, 256, 256, t + i * 50);
        }
        assertThat(policy.framerate(0, 0, 256, 256, t + 200)).isEqualTo(5);
        assertThat(policy.lossy(pixels, W, 0, 0, 256, 256, t + 200)).as("five updates in a second").isTrue();
        assertThat(policy.lossy(pixels, W, 300, 300, 556, 556, t + 200)).as("another, still region").isFalse();
        assertThat(policy.framerate(0, 0, 256, 256, t + 1300)).as("a second later").isZero();
    }

    @Test
    void flatContentSmallRectanglesStayLossless() {
        LossyPolicy policy = new LossyPolicy(W, H);
        long t = 5_000;
        for (int i = 0; i < 5; i++) {
            policy.updated(0, 0, 320, 240, t + i * 40);
        }
        assertThat(LossyPolicy.flat(text(), W, 0, 0, 320, 240)).isTrue();
        assertThat(policy.lossy(text(), W, 0, 0, 320, 240, t + 200)).as("text").isFalse();
        assertThat(policy.lossy(noise(2), W, 0, 0, 60, 60, t + 200)).as("3600 pixels").isFalse();
        assertThat(policy.lossy(noise(2), W, 0, 0, 320, 240, t + 200)).as("noise").isTrue();
    }

    @Test
    void regionsSentAsJpegAreHandedBackForALosslessRepaintOnceStill() {
        LossyPolicy policy = new LossyPolicy(W, H);
        long t = 10_000;
        policy.updated(70, 70, 200, 130, t);
        policy.sent(70, 70, 200, 130, true, t);
        assertThat(policy.restingLossy(t + 999, 1000, W, H)).isNull();
        assertThat(policy.restingLossy(t + 1000, 1000, W, H)).containsExactly(64, 64, 256, 192);
        assertThat(policy.restingLossy(t + 2000, 1000, W, H)).as("taken as repaired").isNull();

        policy.updated(0, 0, 10, 10, t);
        policy.sent(0, 0, 10, 10, true, t);
        policy.sent(0, 0, 10, 10, false, t + 10); // a lossless update covered it meanwhile
        assertThat(policy.restingLossy(t + 5000, 1000, W, H)).isNull();
    }

    @Test
    void theBoundingBoxIsClippedToTheScreen() {
        LossyPolicy policy = new LossyPolicy(100, 70);
        policy.updated(90, 66, 100, 70, 1);
        policy.sent(90, 66, 100, 70, true, 1);
        assertThat(policy.restingLossy(5000, 1000, 100, 70)).containsExactly(64, 64, 100, 70);
    }

    @Test
    void jpegEncodesARectangleOfTheFramebuffer() throws Exception {
        int[] pixels = new int[W * H];
        for (int y = 100; y < 180; y++) {
            for (int x = 200; x < 320; x++) {
                pixels[y * W + x] = 0x3366CC;
            }
        }
        try (JpegEncoder jpeg = new JpegEncoder(0.9f)) {
            jpeg.encode(pixels, W, 200, 100, 120, 80);
            assertThat(jpeg.bytes()[0]).isEqualTo((byte) 0xFF);
            assertThat(jpeg.bytes()[1]).isEqualTo((byte) 0xD8);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg.bytes(), 0, jpeg.length()));
            assertThat(image.getWidth()).isEqualTo(120);
            assertThat(image.getHeight()).isEqualTo(80);
            int rgb = image.getRGB(60, 40) & 0xFFFFFF;
            assertThat(Math.abs((rgb >> 16) - 0x33)).isLessThan(8);
            assertThat(Math.abs((rgb & 0xFF) - 0xCC)).isLessThan(8);
        }
    }
}
