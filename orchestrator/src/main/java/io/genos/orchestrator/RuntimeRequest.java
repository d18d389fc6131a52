package io.genos.orchestrator;

import io.genos.spec.catalog.Resolution;

/** What a runtime needs to create an environment. */
public record RuntimeRequest(String environmentId, String owner, String name, Resolution resolution,
        String displayPassword) {
    @Override
    public String toString() {
        return "RuntimeRequest[" + environmentId + " " + owner + "/" + name + " " + resolution.image().id() + "]";
    }
}
