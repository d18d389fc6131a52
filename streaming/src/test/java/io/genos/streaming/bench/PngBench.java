package io.genos.streaming.bench;

import io.genos.streaming.bridge.PngEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Compares PNG encoders on a real screenshot (argument: a PNG file, e.g. a frame saved from the bridge): this
 * module's encoder at deflate levels 1 and 6 against the JDK's ImageIO PNG writer. Prints ms per encode and size.
 */
public final class PngBench {

    private PngBench() {}

    public static void main(String[] args) throws Exception {
        BufferedImage source = ImageIO.read(Path.of(args[0]).toFile());
        int w = source.getWidth();
        int h = source.getHeight();
        int[] pixels = source.getRGB(0, 0, w, h, null, 0, w);
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, w, h, pixels, 0, w);
        int[][] rects = args.length > 1 ? new int[][] {{0, 0, w, h}} : new int[][] {{0, 0, w, h}, {40, 60, 700, 17}, {100, 100, 300, 300}};
        for (int[] r : rects) {
            System.out.printf(Locale.ROOT, "%dx%d:%n", r[2], r[3]);
            for (int level : new int[] {1, 2, 3, 6}) for (PngEncoder.Filter filter : PngEncoder.Filter.values()) {
                try (PngEncoder png = new PngEncoder(level, filter)) {
                    int size = 0;
                    long best = Long.MAX_VALUE;
                    for (int i = 0; i < 60; i++) {
                        long t = System.nanoTime();
                        size = png.encodeRgb(pixels, w, r[0], r[1], r[2], r[3]);
                        best = Math.min(best, System.nanoTime() - t);
                    }
                    System.out.printf(Locale.ROOT, "  PngEncoder level %d %-8s: %7.2f ms  %8d bytes%n", level, filter, best / 1e6, size);
                }
            }
            BufferedImage sub = rgb.getSubimage(r[0], r[1], r[2], r[3]);
            long best = Long.MAX_VALUE;
            int size = 0;
            for (int i = 0; i < 20; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long t = System.nanoTime();
                ImageIO.write(sub, "png", out);
                best = Math.min(best, System.nanoTime() - t);
                size = out.size();
            }
            System.out.printf(Locale.ROOT, "  ImageIO PNG writer:   %7.2f ms  %8d bytes%n", best / 1e6, size);
        }
    }
}
