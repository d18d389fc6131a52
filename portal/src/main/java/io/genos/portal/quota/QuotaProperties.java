package io.genos.portal.quota;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code genos.quotas.roles.<role>.*} and {@code genos.quotas.users.<username>.*}: max-running, cpus, memory (MiB),
 * disk (GiB), gpus. A user listed under {@code users} gets exactly that; anyone else the most generous of their roles'.
 */
@ConfigurationProperties("genos.quotas")
public record QuotaProperties(Map<String, Limits> roles, Map<String, Limits> users) {

    public QuotaProperties {
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    public record Limits(int maxRunning, int cpus, int memory, int disk, int gpus) {}
}
