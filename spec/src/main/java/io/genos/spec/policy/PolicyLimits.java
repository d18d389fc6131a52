package io.genos.spec.policy;

import java.time.Duration;

/** Per-environment limits; the defaults are those of {@code shared/contracts/compose-cli.md}. */
public record PolicyLimits(
        int minCpus, int maxCpus,
        int minMemoryMiB, int maxMemoryMiB,
        int minDiskGiB, int maxDiskGiB,
        int maxGpus,
        Duration maxTtl) {

    public static final PolicyLimits DEFAULTS =
            new PolicyLimits(1, 16, 256, 65536, 1, 512, 4, Duration.ofDays(7));
}
