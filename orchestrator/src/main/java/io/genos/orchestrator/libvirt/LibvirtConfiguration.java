package io.genos.orchestrator.libvirt;

import io.genos.orchestrator.OrchestratorProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The libvirt runtime as a Spring bean, only when {@code genos.orchestrator.libvirt.enabled=true}: a host without
 * libvirt then keeps running containers. It connects lazily and finds out in the background whether KVM works.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "genos.orchestrator.libvirt", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(LibvirtProperties.class)
class LibvirtConfiguration {

    @Bean(destroyMethod = "close")
    LibvirtRuntime libvirtRuntime(LibvirtProperties properties, OrchestratorProperties orchestrator) {
        LibvirtRuntime runtime = new LibvirtRuntime(properties, orchestrator.buildTimeout(),
                orchestrator.packageIndexDir());
        Thread.ofVirtual().name("genos-kvm-probe").start(() -> {
            try {
                runtime.acceleration();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(LibvirtConfiguration.class)
                        .warn("could not find out whether KVM works: {}", e.getMessage());
            }
        });
        return runtime;
    }
}
