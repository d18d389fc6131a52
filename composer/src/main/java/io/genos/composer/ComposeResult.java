package io.genos.composer;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Violation;
import java.util.List;
import java.util.Objects;

/**
 * What a composer understood: the spec (what the user asked for, before any clamping), the policy rules it breaks,
 * and the assumptions and substitutions a user should know about.
 */
public record ComposeResult(EnvironmentSpec spec, List<Violation> violations, List<String> warnings) {

    public ComposeResult {
        Objects.requireNonNull(spec, "spec");
        violations = List.copyOf(violations);
        warnings = List.copyOf(warnings);
    }

    /** True when policy would let this spec be provisioned. */
    public boolean allowed() {
        return violations.isEmpty();
    }
}
