package io.genos.portal.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentEvent;
import io.genos.orchestrator.Snapshot;
import io.genos.portal.security.ApiTokens;
import io.genos.portal.service.CardCheck;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Violation;
import java.time.Instant;
import java.util.List;

/** What the API reads and writes: plain records, so the OpenAPI document says exactly what goes over the wire. */
final class ApiModel {
    private ApiModel() {}

    /** A conversation: what the person said, turn by turn (each at most 2,000 characters, at most 50 turns). */
    record ComposeRequest(List<String> turns) {}

    /**
     * The spec the conversation asks for, what policy and the catalog say about it, and whether it may be launched as
     * it is.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ComposeResponse(EnvironmentSpec spec, boolean launchable, List<Violation> violations, List<String> refusals,
            List<String> warnings, List<String> toBuild, String toPull) {
        static ComposeResponse of(EnvironmentSpec spec, List<Violation> composerViolations, List<String> composerWarnings,
                CardCheck check) {
            var violations = new java.util.ArrayList<Violation>(composerViolations);
            check.violations().stream().filter(v -> !violations.contains(v)).forEach(violations::add);
            var warnings = new java.util.LinkedHashSet<String>(composerWarnings);
            warnings.addAll(check.warnings());
            return new ComposeResponse(spec, violations.isEmpty() && check.refusals().isEmpty(), List.copyOf(violations),
                    check.refusals(), List.copyOf(warnings),
                    check.preflight() == null ? List.of() : check.preflight().toBuild(),
                    check.preflight() == null ? null : check.preflight().toPull());
        }
    }

    /** A launch: a spec (as compose answered, perhaps edited), or the conversation to compose it from; or both. */
    record CreateRequest(EnvironmentSpec spec, List<String> turns) {}

    /** An environment as the API shows it (never its display password or the runtime's own names). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EnvironmentResponse(String id, String name, String owner, String kind, String state, String stateReason,
            int progress, String progressText, String image, String displayProtocol, Instant createdAt,
            Instant updatedAt, Instant expiresAt, List<String> warnings, EnvironmentSpec spec) {
        static EnvironmentResponse of(Environment e) {
            return new EnvironmentResponse(e.id(), e.name(), e.owner(), e.kind().name().toLowerCase(java.util.Locale.ROOT),
                    e.state().name(), e.stateReason(), e.progress(), e.progressText(), e.imageId(),
                    e.displayProtocol() == null ? null : e.displayProtocol().name().toLowerCase(java.util.Locale.ROOT),
                    e.createdAt(), e.updatedAt(), e.expiresAt(), e.warnings(), e.spec());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventResponse(Instant at, String actor, String from, String to, String reason) {
        static EventResponse of(EnvironmentEvent e) {
            return new EventResponse(e.at(), e.actor(), e.from() == null ? null : e.from().name(), e.to().name(),
                    e.reason());
        }
    }

    /** A snapshot's name: lower-case letters, digits and dashes. */
    record SnapshotRequest(String name) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SnapshotResponse(String name, Instant createdAt, String description) {
        static SnapshotResponse of(Snapshot s) {
            return new SnapshotResponse(s.name(), s.createdAt(), s.description());
        }
    }

    /** How much longer it may live: an ISO-8601 duration such as {@code PT2H}. */
    record ExtendRequest(String by) {}

    /**
     * Where a person sees it: the portal page with its desktop (or terminal) for a signed-in browser; {@code ready}
     * when it runs and has something to show.
     */
    record DisplayLink(String url, boolean ready, String protocol, String state) {}

    /** A personal API token to make: its name and how many days it lasts (1 to 365; 30 when not said). */
    record TokenRequest(String name, Integer days) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenResponse(String id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
            Instant revokedAt, boolean live) {
        static TokenResponse of(ApiTokens.Listed t) {
            return new TokenResponse(t.id(), t.name(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), t.revokedAt(),
                    t.live(Instant.now()));
        }
    }

    /** A token just made: {@code token} is shown this once and never again. */
    record CreatedTokenResponse(TokenResponse info, String token) {}

    record UserResponse(String name, boolean enabled, boolean admin) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ImageResponse(String id, String title, String kind, String os, boolean builtIn, boolean present,
            String registeredBy) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuditResponse(Instant at, String actor, String action, String subject, String detail) {}
}
