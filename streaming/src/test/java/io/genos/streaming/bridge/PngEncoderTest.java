package io.genos.streaming.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngEncoderTest {

    private static BufferedImage decode(PngEncoder png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.bytes(), 0, png.length()));
        assertThat(image).as("a PNG ImageIO can read").isNotNull();
        return image;
    }

    /** A desktop-like picture: flat areas, a gradient, text-like noise. */
    private static int[] screen(int w, int h, long seed) {
        Random random = new Random(seed);
        int[] pixels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p;
                if (y < h / 3) {
                    p = 0x2E3440;
                } else if (y < 2 * h / 3) {
                    p = (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x40;
                } else {
                    p = random.nextInt(8) == 0 ? 0x000000 : 0xFFFFFF;
                }
                pixels[y * w + x] = p;
            }
        }
        return pixels;
    }

    @Test
    void encodesARectangleOfTheFramebufferLosslessly() throws Exception {
        int w = 200;
        int h = 150;
        int[] pixels = screen(w, h, 1);
        try (PngEncoder png = new PngEncoder()) {
            png.encodeRgb(pixels, w, 10, 20, 120, 100);
            BufferedImage image = decode(png);
            assertThat(image.getWidth()).isEqualTo(120);
            assertThat(image.getHeight()).isEqualTo(100);
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 120; x++) {
                    assertThat(image.getRGB(x, y) & 0xFFFFFF).isEqualTo(pixels[(y + 20) * w + x + 10]);
                }
            }
        }
    }

    @Test
    void reusesItsBuffersAcrossImagesOfDifferentSizes() throws Exception {
        try (PngEncoder png = new PngEncoder()) {
            int[] big = screen(640, 480, 2);
            png.encodeRgb(big, 640, 0, 0, 640, 480);
            assertThat(decode(png).getRGB(639, 479) & 0xFFFFFF).isEqualTo(big[640 * 480 - 1]);
            int[] small = {0x123456};
            png.encodeRgb(small, 1, 0, 0, 1, 1);
            assertThat(decode(png).getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x123456);
        }
    }

    @Test
    void keepsTheAlphaOfCursorImages() throws Exception {
        try (PngEncoder png = new PngEncoder()) {
            png.encodeArgb(new int[] {0xFFFF0000, 0x00000000, 0x80112233, 0xFF00FF00}, 2, 2);
            BufferedImage image = decode(png);
            assertThat(image.getRGB(0, 0)).isEqualTo(0xFFFF0000);
            assertThat(image.getRGB(1, 0) >>> 24).isZero();
            assertThat(image.getRGB(0, 1)).isEqualTo(0x80112233);
        }
    }

    @Test
    void compressesAFlatScreenToUnder16Kilobytes() {
        int[] flat = new int[1024 * 768];
        java.util.Arrays.fill(flat, 0x2E3440);
        try (PngEncoder png = new PngEncoder()) {
            png.encodeRgb(flat, 1024, 0, 0, 1024, 768);
            assertThat(png.length()).isLessThan(16 * 1024); // deflate matches are at most 258 bytes: ~11.6 KB
        }
    }

    @Test
    void refusesAnEmptyOrOutOfBoundsRectangle() {
        try (PngEncoder png = new PngEncoder()) {
            assertThatThrownBy(() -> png.encodeRgb(new int[4], 2, 0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> png.encodeRgb(new int[4], 2, 1, 0, 2, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> png.encodeRgb(new int[4], 2, 0, 1, 2, 2)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
