package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a user asked for, as understood. Mirrors {@code environment-spec.schema.json}; absent optional parts
 * are {@code null} and are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "name", "kind", "image", "os", "desktop", "resources", "packages", "network",
        "streaming", "lifetime", "notes"})
public record EnvironmentSpec(
        String apiVersion,
        String name,
        Kind kind,
        String image,
        Os os,
        Desktop desktop,
        Resources resources,
        List<String> packages,
        Network network,
        Streaming streaming,
        Lifetime lifetime,
        String notes) {

    public static final String API_VERSION = "genos/v1";

    public EnvironmentSpec {
        packages = packages == null ? null : List.copyOf(packages);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Desktop, with the default {@link Desktop#NONE} when the spec does not say. */
    public Desktop desktopOrNone() {
        return desktop == null ? Desktop.NONE : desktop;
    }

    public List<String> packagesOrEmpty() {
        return packages == null ? List.of() : packages;
    }

    /** A mutable builder, handy for the composer's refinement turns and for tests. */
    public static final class Builder {
        private String apiVersion = API_VERSION;
        private String name;
        private Kind kind;
        private String image;
        private Os os;
        private Desktop desktop;
        private Resources resources;
        private List<String> packages;
        private Network network;
        private Streaming streaming;
        private Lifetime lifetime;
        private String notes;

        Builder() {}

        Builder(EnvironmentSpec s) {
            apiVersion = s.apiVersion;
            name = s.name;
            kind = s.kind;
            image = s.image;
            os = s.os;
            desktop = s.desktop;
            resources = s.resources;
            packages = s.packages;
            network = s.network;
            streaming = s.streaming;
            lifetime = s.lifetime;
            notes = s.notes;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder kind(Kind v) { kind = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder os(Os v) { os = v; return this; }
        public Builder desktop(Desktop v) { desktop = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder packages(List<String> v) { packages = v; return this; }
        public Builder network(Network v) { network = v; return this; }
        public Builder streaming(Streaming v) { streaming = v; return this; }
        public Builder lifetime(Lifetime v) { lifetime = v; return this; }
        public Builder notes(String v) { notes = v; return this; }

        public EnvironmentSpec build() {
            return new EnvironmentSpec(apiVersion, name, kind, image, os, desktop, resources, packages, network,
                    streaming, lifetime, notes);
        }
    }
}
