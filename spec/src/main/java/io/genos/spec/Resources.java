package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Compute resources. {@code diskGiB} and {@code gpus} are optional. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resources(int cpus, int memoryMiB, Integer diskGiB, Integer gpus) {
    public int gpusOrZero() {
        return gpus == null ? 0 : gpus;
    }
}
