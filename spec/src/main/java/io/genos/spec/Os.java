package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Operating system: family (linux, windows, bsd), distribution and version as the user would say it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Os(String family, String distro, String version) {
    public static Os linux(String distro, String version) {
        return new Os("linux", distro, version);
    }
}
