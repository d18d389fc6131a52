package io.genos.portal;

import io.genos.composer.Composer;
import io.genos.composer.OfflineComposer;
import io.genos.composer.llm.LlmComposer;
import io.genos.composer.llm.LlmSettings;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.policy.PolicyGate;
import io.genos.spec.policy.PolicyLimits;
import io.genos.streaming.DisplayGateway;
import io.genos.streaming.SelectingDisplayGateway;
import io.genos.streaming.StreamingProperties;
import io.genos.streaming.bridge.GuacdCompatibleServer;
import io.genos.streaming.bridge.VncBridge;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Assembles the modules: catalog, policy, composer, the display gateway. */
@Configuration
class PortalConfiguration {

    private final StreamingProperties streaming;

    PortalConfiguration(Environment env) {
        this.streaming = Binder.get(env).bind("genos.streaming", StreamingProperties.class)
                .orElse(StreamingProperties.EMBEDDED);
    }

    /** The built-in catalog; the catalog as it is now (with registered images) is {@code ImageRegistry.current()}. */
    @Bean
    Catalog catalog() {
        return Catalog.builtIn();
    }

    /** Streaming's settings (guacd or not), for the views that say what can be shown. */
    @Bean
    StreamingProperties streamingProperties() {
        return streaming;
    }

    /**
     * The contract's limits, with the longest lifetime an environment may have (asked for, or reached by extending
     * it) from {@code genos.policy.max-ttl} (default 7 days).
     */
    @Bean
    PolicyGate policyGate(Environment env) {
        PolicyLimits d = PolicyLimits.DEFAULTS;
        java.time.Duration maxTtl = Binder.get(env).bind("genos.policy.max-ttl", java.time.Duration.class)
                .orElse(d.maxTtl());
        if (maxTtl.isNegative() || maxTtl.isZero()) {
            throw new IllegalStateException("genos.policy.max-ttl must be a positive duration, not " + maxTtl);
        }
        return new PolicyGate(new PolicyLimits(d.minCpus(), d.maxCpus(), d.minMemoryMiB(), d.maxMemoryMiB(),
                d.minDiskGiB(), d.maxDiskGiB(), d.maxGpus(), maxTtl));
    }

    /**
     * The offline composer, or the LLM composer when {@code GENOS_LLM_PROVIDER} is set (with {@code GENOS_LLM_BASE_URL},
     * {@code GENOS_LLM_MODEL}, ...: see configs/README.md). A provider set but badly configured stops the start with
     * the setting named, rather than quietly composing without the LLM the admin asked for.
     */
    @Bean
    Composer composer(io.genos.portal.images.ImageRegistry images, PolicyGate policy, Environment env) {
        return new io.genos.portal.images.CurrentCatalogComposer(images::current, c -> composerFor(env, c, policy));
    }

    static Composer composerFor(Environment env, Catalog catalog, PolicyGate policy) {
        String provider = env.getProperty(LlmSettings.ENV_PROVIDER, "").strip();
        if (provider.isEmpty()) {
            return new OfflineComposer(catalog, policy);
        }
        return new LlmComposer(LlmSettings.fromEnvironment(LlmSettings.Provider.parse(provider), env::getProperty),
                catalog, policy);
    }

    @Bean
    VncBridge vncBridge() {
        return new VncBridge();
    }

    /** What the tunnel uses: guacd when configured, else the bridge for VNC. */
    @Bean
    @org.springframework.context.annotation.Primary
    DisplayGateway displayGateway(VncBridge bridge) {
        return new SelectingDisplayGateway(bridge, streaming.guacdConfigured()
                ? new io.genos.streaming.guacd.GuacdGateway(streaming.guacdHost(), streaming.guacdPort()) : null);
    }

    /** The bridge as a guacd-compatible server on loopback, when a port is configured (for stock clients, benchmarks). */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression("${genos.streaming.bridge-listen-port:0} > 0")
    GuacdCompatibleServer guacdCompatibleServer(VncBridge bridge) {
        return GuacdCompatibleServer.start(bridge, streaming.bridgeListenPort());
    }
}
