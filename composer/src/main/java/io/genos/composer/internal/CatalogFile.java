package io.genos.composer.internal;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the built-in catalog ({@code vm-images/catalog.json}, packaged by the spec module) with {@link Json}, for
 * the command line's start-up time. It yields the same images as {@link Catalog#builtIn()} (a test compares them).
 */
public final class CatalogFile {

    static final String RESOURCE = "/io/genos/spec/catalog/catalog.json";

    private CatalogFile() {}

    public static Catalog builtIn() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("catalog resource " + RESOURCE + " is missing from the build");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Catalog parse(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        List<CatalogImage> images = new ArrayList<>();
        for (Object o : (List<Object>) root.get("images")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Map<String, Object> os = (Map<String, Object>) m.get("os");
            Map<String, Object> d = (Map<String, Object>) m.get("defaults");
            List<Streaming.Protocol> protocols = new ArrayList<>();
            for (Object p : (List<Object>) m.getOrDefault("protocols", List.of())) {
                protocols.add(Streaming.Protocol.valueOf(((String) p).toUpperCase(Locale.ROOT)));
            }
            images.add(new CatalogImage((String) m.get("id"), Kind.fromJson((String) m.get("kind")),
                    new Os((String) os.get("family"), (String) os.get("distro"), (String) os.get("version")),
                    Desktop.fromJson((String) m.get("desktop")), protocols,
                    new Resources(integer(d.get("cpus")), integer(d.get("memoryMiB")), boxed(d.get("diskGiB")),
                            boxed(d.get("gpus"))),
                    (List<String>) m.get("packages"), (String) m.get("reference"),
                    m.get("displayPort") == null ? 0 : integer(m.get("displayPort")), (String) m.get("description")));
        }
        Map<Desktop, io.genos.spec.catalog.DesktopLayer> layers = new java.util.EnumMap<>(Desktop.class);
        Map<String, Object> desktopLayers = (Map<String, Object>) root.getOrDefault("desktopLayers", Map.of());
        desktopLayers.forEach((name, o) -> {
            Map<String, Object> m = (Map<String, Object>) o;
            layers.put(Desktop.fromJson(name), new io.genos.spec.catalog.DesktopLayer((List<String>) m.get("packages"),
                    (List<String>) m.get("session")));
        });
        return new Catalog(images, layers);
    }

    private static int integer(Object o) {
        return ((Number) o).intValue();
    }

    private static Integer boxed(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }
}
