package io.genos.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.composer.ComposerException;
import io.genos.composer.OfflineComposer;
import io.genos.composer.llm.LlmComposer;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.policy.PolicyGate;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class PortalConfigurationTest {

    private final Catalog catalog = Catalog.builtIn();
    private final PolicyGate policy = new PolicyGate();

    @Test
    void composesOfflineWhenNoLlmIsConfigured() {
        assertThat(PortalConfiguration.composerFor(new MockEnvironment(), catalog, policy)).isInstanceOf(OfflineComposer.class);
    }

    @Test
    void composesWithTheLlmWhenAProviderIsConfigured() {
        MockEnvironment env = new MockEnvironment().withProperty("GENOS_LLM_PROVIDER", "openai")
                .withProperty("GENOS_LLM_BASE_URL", "http://127.0.0.1:9/v1").withProperty("GENOS_LLM_MODEL", "m");
        assertThat(PortalConfiguration.composerFor(env, catalog, policy)).isInstanceOf(LlmComposer.class);
    }

    @Test
    void refusesToStartWithAProviderButNoEndpoint() {
        MockEnvironment env = new MockEnvironment().withProperty("GENOS_LLM_PROVIDER", "ollama");
        assertThatThrownBy(() -> PortalConfiguration.composerFor(env, catalog, policy))
                .isInstanceOf(ComposerException.class).hasMessageContaining("GENOS_LLM_BASE_URL");
    }
}
