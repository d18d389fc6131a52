package io.genos.orchestrator;

import io.genos.spec.catalog.Resolution;
import java.util.Map;

/**
 * What a runtime needs to create an environment.
 *
 * @param labels further labels (Docker) or metadata (libvirt) the resource must carry, e.g.
 *     {@link EnvironmentRuntime#LABEL_INSTALLATION}, {@link EnvironmentRuntime#LABEL_NAME},
 *     {@link EnvironmentRuntime#LABEL_EXPIRES_AT} and {@link EnvironmentRuntime#LABEL_SPEC}: what reconcile needs to
 *     adopt the environment if its record is lost
 */
public record RuntimeRequest(String environmentId, String owner, String name, Resolution resolution,
        String displayPassword, Map<String, String> labels) {

    public RuntimeRequest {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A request without further labels. */
    public RuntimeRequest(String environmentId, String owner, String name, Resolution resolution,
            String displayPassword) {
        this(environmentId, owner, name, resolution, displayPassword, Map.of());
    }

    /** The same request for another resolution (e.g. a snapshot image instead of the catalog's). */
    public RuntimeRequest withResolution(Resolution other) {
        return new RuntimeRequest(environmentId, owner, name, other, displayPassword, labels);
    }

    @Override
    public String toString() {
        return "RuntimeRequest[" + environmentId + " " + owner + "/" + name + " " + resolution.image().id() + "]";
    }
}
