package io.genos.portal.metrics;

import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.docker.DockerRuntime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/health} components for the systems environments run on: {@code runtimes.docker} (dockerd answers a
 * ping) and, when VMs are on, {@code runtimes.libvirt} (libvirtd answers). The database's comes with Spring Boot.
 */
@Configuration
class RuntimeHealth {

    @Bean
    CompositeHealthContributor runtimes(List<EnvironmentRuntime> runtimes) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (EnvironmentRuntime r : runtimes) {
            indicators.put(r instanceof DockerRuntime ? "docker" : "libvirt", () -> {
                try {
                    r.ping();
                    return Health.up().build();
                } catch (RuntimeException e) {
                    return Health.down().withDetail("reason", String.valueOf(e.getMessage())).build();
                }
            });
        }
        return CompositeHealthContributor.fromMap(indicators);
    }
}
