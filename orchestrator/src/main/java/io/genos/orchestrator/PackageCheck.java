package io.genos.orchestrator;

import io.genos.spec.Os;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.PackageIndex;
import io.genos.spec.catalog.PackageIndexes;
import io.genos.spec.catalog.PackageNames;
import io.genos.spec.catalog.Resolution;
import java.util.List;
import java.util.Optional;

/** The package names of a composition, checked before anything is built (containers and VMs alike). */
public final class PackageCheck {

    private final PackageIndexes indexes;
    private final AptRepositories repositories;

    public PackageCheck(PackageIndexes indexes) {
        this(indexes, AptRepositories.NONE);
    }

    /** A check that also knows the packages of the admin's extra apt repositories. */
    public PackageCheck(PackageIndexes indexes, AptRepositories repositories) {
        this.indexes = indexes;
        this.repositories = repositories;
    }

    /**
     * Refuses package names that are not Debian package names, or that the OS base's package index does not know
     * (naming the closest real ones); says when there is no index to check them against.
     */
    public Optional<String> check(Resolution resolution) {
        Composition c = resolution.composition();
        List<String> invalid = PackageNames.invalid(resolution.spec().packagesOrEmpty());
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException("not Debian package names: " + String.join(", ", invalid)
                    + "; nothing was built");
        }
        if (c.packages().isEmpty()) {
            return Optional.empty();
        }
        Os os = c.start().os();
        Optional<PackageIndex> index;
        try {
            index = indexes.forOs(os);
        } catch (java.io.UncheckedIOException e) {
            return Optional.of(e.getMessage() + ": package names are checked by apt when the layer is built");
        }
        if (index.isEmpty()) {
            return Optional.of("package names are checked by apt when the layer is built: no package index for "
                    + (os == null ? "this OS" : os.distro() + " " + os.version()) + " on this host (./genos images "
                    + "records it)");
        }
        AptRepositories.Packages extra = repositories.packages(os);
        PackageIndex.Check check = index.get().with(extra.packages()).check(c.packages());
        if (!check.ok() && !extra.unreadable().isEmpty()) {
            return Optional.of("not in " + cap(os.distro()) + " " + os.version() + " and not checked against the extra "
                    + "apt repositor" + (extra.unreadable().size() == 1 ? "y " : "ies ") + String.join(", ",
                            extra.unreadable().keySet()) + " (" + String.join("; ", extra.unreadable().values())
                    + "): " + String.join(", ", check.unknown()) + "; apt says when the layer is built");
        }
        if (!check.ok()) {
            throw new InvalidRequestException("unknown package" + (check.unknown().size() == 1 ? "" : "s") + " for "
                    + cap(os.distro()) + " " + os.version() + ": " + check.describeUnknown() + "; nothing was built");
        }
        return Optional.empty();
    }

    private static String cap(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

}
