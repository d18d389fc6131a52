package io.genos.spec.catalog;

import io.genos.spec.EnvironmentSpec;
import java.util.List;

/** A spec resolved to an image: the spec with {@code image} set and defaults filled, and what was substituted. */
public record Resolution(EnvironmentSpec spec, CatalogImage image, List<String> warnings) {
    public Resolution {
        warnings = List.copyOf(warnings);
    }
}
