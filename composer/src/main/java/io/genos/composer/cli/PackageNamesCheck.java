package io.genos.composer.cli;

import io.genos.composer.ComposeResult;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.PackageIndex;
import io.genos.spec.catalog.PackageIndexes;
import io.genos.spec.catalog.Resolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The package names of a composed spec checked against the OS base's package index, as the portal's card does: an
 * unknown name becomes a warning naming the closest real ones (a launch would be refused). Without an index (the base
 * was not built on this host) nothing is said.
 */
final class PackageNamesCheck {

    private PackageNamesCheck() {}

    static ComposeResult apply(ComposeResult result, Catalog catalog, PackageIndexes indexes) {
        Resolution resolution;
        try {
            resolution = catalog.resolve(result.spec());
        } catch (RuntimeException e) {
            return result;
        }
        Composition c = resolution.composition();
        if (c == null || c.packages().isEmpty()) {
            return result;
        }
        Optional<PackageIndex> index;
        try {
            index = indexes.forOs(c.start().os());
        } catch (RuntimeException e) {
            return result;
        }
        if (index.isEmpty()) {
            return result;
        }
        PackageIndex.Check check = index.get().check(c.packages());
        if (check.ok()) {
            return result;
        }
        List<String> warnings = new ArrayList<>(result.warnings());
        warnings.add("unknown package" + (check.unknown().size() == 1 ? "" : "s") + " for " + c.start().os().distro()
                + " " + c.start().os().version() + ": " + check.describeUnknown() + "; a launch would be refused");
        return new ComposeResult(result.spec(), result.violations(), warnings);
    }
}
