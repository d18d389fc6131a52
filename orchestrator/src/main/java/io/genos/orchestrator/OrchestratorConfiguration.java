package io.genos.orchestrator;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Turns on {@link OrchestratorProperties}; the beans themselves are annotated where they live. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrchestratorProperties.class)
class OrchestratorConfiguration {}
