package io.genos.portal.service;

import io.genos.orchestrator.Environments;
import io.genos.spec.Violation;
import java.util.List;

/**
 * What a launch of the card as it stands would meet, before anything is stored or built.
 *
 * @param violations the composer's and policy's, each naming its field and rule
 * @param refusals what the runtime refuses (unknown package names, a package manager GenOS does not drive…)
 * @param warnings what would be done differently from what was asked
 * @param preflight the layers to build and the image to pull, or null when the runtime refused
 */
public record CardCheck(List<Violation> violations, List<String> refusals, List<String> warnings,
        Environments.Preflight preflight) {

    public CardCheck {
        violations = List.copyOf(violations);
        refusals = List.copyOf(refusals);
        warnings = List.copyOf(warnings);
    }

    /** Whether Launch would go ahead. */
    public boolean launchable() {
        return violations.isEmpty() && refusals.isEmpty();
    }
}
