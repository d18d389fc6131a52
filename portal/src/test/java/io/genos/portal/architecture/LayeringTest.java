package io.genos.portal.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The portal's layering: views and the display and terminal doors go through the application service
 * ({@code io.genos.portal.service}); none calls the orchestrator's {@code Environments}, a runtime, the store, quotas
 * or policy's checks itself, so that no door can skip a rule. The positive control shows the rule finds such a call.
 */
class LayeringTest {

    /** The doors: what people and their browsers reach. */
    static final String[] DOORS = {"io.genos.portal.chat..", "io.genos.portal.session..",
        "io.genos.portal.environments..", "io.genos.portal.terminal..", "io.genos.portal.admin..",
        "io.genos.portal.api..", "io.genos.portal.tokens.."};

    /** What only the application service (and the orchestrator's own background work) may use. */
    static final Set<String> BEHIND_THE_SERVICE = Set.of("io.genos.orchestrator.Environments",
            "io.genos.orchestrator.EnvironmentRuntime", "io.genos.orchestrator.EnvironmentStore",
            "io.genos.orchestrator.docker.DockerRuntime", "io.genos.orchestrator.libvirt.LibvirtRuntime",
            "io.genos.portal.quota.Quotas", "io.genos.composer.Composer");

    private static final JavaClasses PORTAL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.genos.portal");

    static ArchRule doorsGoThroughTheService() {
        return noClasses().that().resideInAnyPackage(DOORS)
                .should().dependOnClassesThat(describe("are the orchestrator, a runtime, the store, quotas or the composer",
                        (JavaClass c) -> BEHIND_THE_SERVICE.contains(c.getFullName())))
                .orShould().callMethodWhere(describe("policy's checks", (JavaMethodCall call) ->
                        call.getTargetOwner().getFullName().equals("io.genos.spec.policy.PolicyGate")
                                && call.getName().startsWith("check")))
                .because("every action on an environment goes through io.genos.portal.service.EnvironmentService");
    }

    @Test
    void viewsAndDoorsCallTheApplicationServiceNeverTheOrchestratorOrPolicy() {
        doorsGoThroughTheService().check(PORTAL);
    }

    /** A view that called Environments.launch itself is caught (the rule is not vacuous). */
    @Test
    void theRuleCatchesADoorThatCallsTheOrchestratorItself() {
        JavaClasses bad = new ClassFileImporter().importClasses(BadView.class, io.genos.orchestrator.Environments.class);
        ArchRule rule = noClasses().that().haveFullyQualifiedName(BadView.class.getName())
                .should().dependOnClassesThat(describe("are behind the service",
                        (JavaClass c) -> BEHIND_THE_SERVICE.contains(c.getFullName())));
        EvaluationResult result = rule.evaluate(bad);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(d -> d.contains("Environments.launch"));
    }

    /** What the positive control imports: a "view" that launches without the service. */
    static final class BadView {
        Object launch(io.genos.orchestrator.Environments environments) {
            return environments.launch(null, "someone");
        }
    }
}
