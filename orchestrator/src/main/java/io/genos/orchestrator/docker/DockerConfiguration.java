package io.genos.orchestrator.docker;

import io.genos.orchestrator.OrchestratorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Docker runtime as a Spring bean. It keeps its Docker client to itself (not a bean), so that other modules may
 * define their own {@code DockerClient} without ambiguity.
 */
@Configuration(proxyBeanMethods = false)
class DockerConfiguration {

    @Bean(destroyMethod = "close")
    DockerRuntime dockerRuntime(OrchestratorProperties properties) {
        return DockerRuntime.connect(properties);
    }
}
