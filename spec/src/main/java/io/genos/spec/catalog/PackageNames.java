package io.genos.spec.catalog;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Debian package names (policy 5.6.1): what may go into an install command, and nothing else. */
public final class PackageNames {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,99}");

    private PackageNames() {}

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The names that are not Debian package names, in order. */
    public static List<String> invalid(Collection<String> names) {
        return names.stream().filter(n -> !valid(n)).toList();
    }

    static String require(String name) {
        if (!valid(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a Debian package name");
        }
        return name;
    }
}
