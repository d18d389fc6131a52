package io.genos.portal.quota;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code genos.quotas.roles.<role>.*}, {@code genos.quotas.groups.<group>.*} and {@code genos.quotas.users.<username>.*}:
 * max-running, cpus, memory (MiB), disk (GiB), gpus. A user listed under {@code users} gets exactly that; else a user in
 * one or more configured groups (the identity provider's groups, profile {@code keycloak}: quota classes such as
 * {@code students}) the most generous of those groups'; anyone else the most generous of their roles'.
 */
@ConfigurationProperties("genos.quotas")
public record QuotaProperties(Map<String, Limits> roles, Map<String, Limits> users, Map<String, Limits> groups) {

    public QuotaProperties {
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        users = users == null ? Map.of() : Map.copyOf(users);
        groups = groups == null ? Map.of() : Map.copyOf(groups);
    }

    public record Limits(int maxRunning, int cpus, int memory, int disk, int gpus) {}
}
