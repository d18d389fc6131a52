package io.genos.streaming;

/** The browser's display area in CSS pixels and its resolution, as a Guacamole client reports it. */
public record ClientScreen(int width, int height, int dpi) {

    public static final ClientScreen DEFAULT = new ClientScreen(1024, 768, 96);

    public ClientScreen {
        if (width < 1 || height < 1 || width > 16384 || height > 16384) {
            throw new StreamingException(org.apache.guacamole.protocol.GuacamoleStatus.CLIENT_BAD_REQUEST,
                    "Screen size " + width + "x" + height + " is out of range (1..16384)");
        }
        if (dpi < 1 || dpi > 2000) {
            throw new StreamingException(org.apache.guacamole.protocol.GuacamoleStatus.CLIENT_BAD_REQUEST,
                    "Screen resolution " + dpi + " dpi is out of range (1..2000)");
        }
    }
}
