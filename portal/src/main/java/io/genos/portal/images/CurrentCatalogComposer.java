package io.genos.portal.images;

import io.genos.composer.ComposeResult;
import io.genos.composer.Composer;
import io.genos.spec.catalog.Catalog;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A composer that always composes against the catalog as it is now: it builds the underlying composer for a catalog
 * and builds it again only when the catalog changed (an image was registered or removed).
 */
public final class CurrentCatalogComposer implements Composer {

    private record Built(Catalog catalog, Composer composer) {}

    private final Supplier<Catalog> catalog;
    private final Function<Catalog, Composer> factory;
    private volatile Built built;

    /** Builds the first composer at once, so that a composer that cannot be built stops the start. */
    public CurrentCatalogComposer(Supplier<Catalog> catalog, Function<Catalog, Composer> factory) {
        this.catalog = catalog;
        this.factory = factory;
        Catalog now = catalog.get();
        this.built = new Built(now, factory.apply(now));
    }

    @Override
    public ComposeResult compose(List<String> turns) {
        Catalog now = catalog.get();
        Built b = built;
        if (b.catalog() != now) {
            b = new Built(now, factory.apply(now));
            built = b;
        }
        return b.composer().compose(turns);
    }
}
