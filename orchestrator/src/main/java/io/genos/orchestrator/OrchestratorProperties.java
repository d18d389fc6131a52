package io.genos.orchestrator;

import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code genos.orchestrator}. The defaults make the embedded mode work against the local dockerd.
 *
 * @param dockerHost where dockerd listens
 * @param dockerApiVersion Docker API version to speak (1.41 = Debian 12's dockerd 20.10)
 * @param displayTimeout how long to wait for the display to answer after a start
 * @param stopTimeout how long Docker waits after SIGTERM before SIGKILL
 * @param pidsLimit most processes and threads one container may have
 * @param buildTimeout longest time one composed image layer may take to build (apt included)
 * @param packageIndexDir where the package indexes of the OS bases are ({@code debian-12.tsv}, written by
 *     {@code vm-images/build}); a missing index means names are checked by apt at build time only
 * @param imageCacheBudget how much disk the composed image layers may take before the least recently used unpinned
 *     ones that nothing uses are removed
 * @param aptRepositories extra apt repositories package layers may install from (none by default): see
 *     {@link AptRepository}
 */
@ConfigurationProperties(prefix = "genos.orchestrator")
public record OrchestratorProperties(
        @DefaultValue("unix:///var/run/docker.sock") String dockerHost,
        @DefaultValue("1.41") String dockerApiVersion,
        @DefaultValue("60s") Duration displayTimeout,
        @DefaultValue("10s") Duration stopTimeout,
        @DefaultValue("4096") long pidsLimit,
        @DefaultValue("30m") Duration buildTimeout,
        @DefaultValue("/var/lib/genos/package-index") java.nio.file.Path packageIndexDir,
        @DefaultValue("30GB") DataSize imageCacheBudget,
        java.util.List<AptRepository> aptRepositories) {

    public OrchestratorProperties {
        if (dockerHost == null || dockerHost.isBlank()) {
            throw new IllegalArgumentException("genos.orchestrator.docker-host must be set, e.g. unix:///var/run/docker.sock");
        }
        if (displayTimeout == null || displayTimeout.isNegative() || displayTimeout.isZero()) {
            throw new IllegalArgumentException("genos.orchestrator.display-timeout must be positive, was " + displayTimeout);
        }
        if (stopTimeout == null || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("genos.orchestrator.stop-timeout must not be negative, was " + stopTimeout);
        }
        if (pidsLimit < 64) {
            throw new IllegalArgumentException("genos.orchestrator.pids-limit must be at least 64, was " + pidsLimit);
        }
        if (buildTimeout == null || buildTimeout.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("genos.orchestrator.build-timeout must be at least 10s, was " + buildTimeout);
        }
        if (packageIndexDir == null) {
            throw new IllegalArgumentException("genos.orchestrator.package-index-dir must be set");
        }
        if (imageCacheBudget == null || imageCacheBudget.isNegative()) {
            throw new IllegalArgumentException("genos.orchestrator.image-cache-budget must be a size such as 30GB, was "
                    + imageCacheBudget);
        }
        aptRepositories = aptRepositories == null ? java.util.List.of() : java.util.List.copyOf(aptRepositories);
        new AptRepositories(aptRepositories); // names are unique
    }

    /** The defaults, for code that runs without Spring. */
    public static OrchestratorProperties defaults() {
        return new OrchestratorProperties("unix:///var/run/docker.sock", "1.41", Duration.ofSeconds(60),
                Duration.ofSeconds(10), 4096, Duration.ofMinutes(30), io.genos.spec.catalog.PackageIndexes.DEFAULT_DIR,
                DataSize.ofGigabytes(30), java.util.List.of());
    }

    public OrchestratorProperties withDisplayTimeout(Duration d) {
        return new OrchestratorProperties(dockerHost, dockerApiVersion, d, stopTimeout, pidsLimit, buildTimeout,
                packageIndexDir, imageCacheBudget, aptRepositories);
    }

    public OrchestratorProperties withAptRepositories(java.util.List<AptRepository> repositories) {
        return new OrchestratorProperties(dockerHost, dockerApiVersion, displayTimeout, stopTimeout, pidsLimit,
                buildTimeout, packageIndexDir, imageCacheBudget, repositories);
    }
}
