package io.genos.spec.catalog;

import io.genos.spec.EnvironmentSpec;
import java.util.List;

/**
 * A spec resolved to an image: the spec with {@code image} set and defaults filled, and what was substituted.
 *
 * @param image the image the environment runs: a catalog image, or the image a composition makes (its reference is
 *     then the composition's start, which the runtime replaces by the composed image)
 * @param composition the layers to compose on the start image, or null when the image runs as it is
 */
public record Resolution(EnvironmentSpec spec, CatalogImage image, List<String> warnings, Composition composition) {
    public Resolution {
        warnings = List.copyOf(warnings);
        if (composition != null && !composition.hasLayers()) {
            composition = null;
        }
    }

    /** A resolution to an image that runs as it is. */
    public Resolution(EnvironmentSpec spec, CatalogImage image, List<String> warnings) {
        this(spec, image, warnings, null);
    }

    public boolean composed() {
        return composition != null;
    }

    /** This resolution for the image the runtime composed: nothing left to build. */
    public Resolution withComposedImage(String reference) {
        return new Resolution(spec, image.withReference(reference), warnings, null);
    }
}
