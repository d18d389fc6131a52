package io.genos.streaming.bridge;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes a rectangle of a 0xRRGGBB framebuffer as a baseline JPEG (the JDK's encoder). Not thread-safe. */
final class JpegEncoder implements AutoCloseable {

    private final ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    private final ImageWriteParam param = writer.getDefaultWriteParam();
    private final Buffer out = new Buffer();
    private BufferedImage image;

    /** @param quality 0..1 (guacd uses 0.9) */
    JpegEncoder(float quality) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
    }

    void encode(int[] pixels, int stride, int x, int y, int w, int h) {
        if (image == null || image.getWidth() != w || image.getHeight() != h) {
            image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        }
        image.getRaster().setDataElements(0, 0, w, h, row(pixels, stride, x, y, w, h));
        out.reset();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int[] scratch = new int[0];

    private int[] row(int[] pixels, int stride, int x, int y, int w, int h) {
        if (scratch.length < w * h) {
            scratch = new int[w * h];
        }
        for (int r = 0; r < h; r++) {
            System.arraycopy(pixels, (y + r) * stride + x, scratch, r * w, w);
        }
        return scratch;
    }

    byte[] bytes() {
        return out.buffer();
    }

    int length() {
        return out.size();
    }

    @Override
    public void close() {
        writer.dispose();
    }

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1 << 16);
        }

        byte[] buffer() {
            return buf;
        }
    }
}
