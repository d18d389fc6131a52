package io.genos.portal.service;

import io.genos.composer.ComposeResult;
import io.genos.composer.Composer;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentEvent;
import io.genos.orchestrator.EnvironmentLog;
import io.genos.orchestrator.Environments;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.Snapshot;
import io.genos.orchestrator.Terminal;
import io.genos.orchestrator.TerminalOutput;
import io.genos.portal.images.ImageRegistry;
import io.genos.portal.quota.Quotas;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Violation;
import io.genos.spec.catalog.Resolution;
import io.genos.spec.policy.PolicyGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Every action on an environment, with its rules in one place, whoever asks and through whichever door: a launch
 * passes policy (request and spec), catalog resolution, the runtime's refusals and the owner's quota; start and revert
 * count against the quota again; every action on an existing environment passes the owner-or-admin rule.
 */
@Service
public class EnvironmentService {
    /** Longest chat turn taken (a turn is what a person types, not a document). */
    public static final int MAX_TURN = 2000;
    /** Most turns in one conversation. */
    public static final int MAX_TURNS = 50;

    private final Composer composer;
    private final PolicyGate policy;
    private final ImageRegistry images;
    private final Environments environments;
    private final Quotas quotas;
    private final org.springframework.security.core.userdetails.UserDetailsService users;
    private final io.genos.orchestrator.ImageCache imageCache;
    private final io.genos.portal.audit.AuditLog audit;
    private final io.genos.portal.metrics.GenosMetrics metrics;
    private final java.time.Duration defaultLifetime;
    private final org.springframework.beans.factory.ObjectProvider<io.genos.portal.security.ExternalUsers> externalUsers;
    private final RateLimit composeRate;
    private final RateLimit launchRate;

    public EnvironmentService(Composer composer, PolicyGate policy, ImageRegistry images, Environments environments,
            Quotas quotas, org.springframework.security.core.userdetails.UserDetailsService users,
            io.genos.orchestrator.ImageCache imageCache, io.genos.portal.audit.AuditLog audit,
            io.genos.portal.metrics.GenosMetrics metrics, io.genos.portal.PortalProperties settings,
            org.springframework.beans.factory.ObjectProvider<io.genos.portal.security.ExternalUsers> externalUsers) {
        this.externalUsers = externalUsers;
        this.defaultLifetime = settings.defaultLifetime();
        this.composeRate = new RateLimit("messages", settings.rate().composePerMinute(), java.time.Clock.systemUTC());
        this.launchRate = new RateLimit("launches", settings.rate().launchPerMinute(), java.time.Clock.systemUTC());
        this.imageCache = imageCache;
        this.audit = audit;
        this.metrics = metrics;
        this.composer = composer;
        this.policy = policy;
        this.images = images;
        this.environments = environments;
        this.quotas = quotas;
        this.users = users;
    }

    /**
     * Turns a conversation into a spec (see {@link Composer#compose}), after checking its size and the actor's rate.
     *
     * @throws IllegalArgumentException for a conversation too long, or a turn too long or empty
     * @throws RateLimitedException beyond {@code genos.portal.rate.compose-per-minute}
     */
    public ComposeResult compose(List<String> turns, Actor actor) {
        composeRate.take(actor.name());
        return compose(turns);
    }

    /** {@link #compose(List, Actor)} for GenOS itself (an admin's pre-build): not rate-limited. */
    ComposeResult compose(List<String> turns) {
        checkTurns(turns);
        List<String> copy = List.copyOf(turns);
        ComposeResult composed = metrics.timeComposer(() -> composer.compose(copy));
        EnvironmentSpec spec = withLifetime(composed.spec());
        if (spec == composed.spec()) {
            return composed;
        }
        List<String> warnings = new ArrayList<>(composed.warnings());
        warnings.add("No lifetime was asked for: it lives " + io.genos.spec.policy.PolicyGate.human(lifetime())
                + ", and can be extended in its session view.");
        return new ComposeResult(spec, composed.violations(), warnings);
    }

    /** The spec with the default lifetime when it has none (never beyond the policy's longest). */
    EnvironmentSpec withLifetime(EnvironmentSpec spec) {
        if (spec == null || spec.lifetime() != null && spec.lifetime().ttl() != null && !spec.lifetime().ttl().isBlank()) {
            return spec;
        }
        String idle = spec.lifetime() == null ? null : spec.lifetime().idleTimeout();
        return spec.toBuilder().lifetime(new io.genos.spec.Lifetime(lifetime().toString(), idle)).build();
    }

    private java.time.Duration lifetime() {
        java.time.Duration longest = policy.limits().maxTtl();
        return defaultLifetime.compareTo(longest) > 0 ? longest : defaultLifetime;
    }

    /** What a launch of this spec (as the card now says) would meet; nothing is stored or built. */
    public CardCheck check(EnvironmentSpec spec, List<String> turns) {
        List<Violation> violations = policy.check(spec, turns == null ? List.of() : turns);
        Set<String> warnings = new LinkedHashSet<>();
        List<String> refusals = new ArrayList<>();
        Environments.Preflight preflight = null;
        try {
            preflight = environments.preflight(images.current().resolve(spec));
            warnings.addAll(preflight.warnings());
        } catch (InvalidRequestException e) {
            refusals.add(e.getMessage());
        } catch (RuntimeException e) {
            warnings.add(e.getMessage());
        }
        return new CardCheck(violations, refusals, List.copyOf(warnings), preflight);
    }

    /**
     * Launches the spec for the actor: refused, with nothing stored or built, when policy or the runtime refuses it or
     * the actor's quota would be exceeded.
     *
     * @throws LaunchRefusedException naming each violation
     * @throws io.genos.orchestrator.QuotaExceededException naming the limit
     * @throws InvalidRequestException what the runtime refuses
     * @throws RateLimitedException beyond {@code genos.portal.rate.launch-per-minute}
     */
    public Environment launch(EnvironmentSpec asked, List<String> turns, Actor actor) {
        launchRate.take(actor.name());
        EnvironmentSpec spec = withLifetime(asked);
        if (turns != null && !turns.isEmpty()) {
            checkTurns(turns);
        }
        List<Violation> violations = policy.check(spec, turns == null ? List.of() : turns);
        if (!violations.isEmpty()) {
            metrics.refused("policy");
            throw new LaunchRefusedException(violations.stream().map(v -> v.field() + ": " + v.message()).toList());
        }
        Resolution resolution = images.current().resolve(spec);
        try {
            return environments.launch(resolution, actor.name(), quotas.forUser(actor.name(), actor.authorities()));
        } catch (io.genos.orchestrator.QuotaExceededException e) {
            metrics.refused("quota");
            throw e;
        } catch (InvalidRequestException e) {
            metrics.refused("runtime");
            throw e;
        }
    }

    /**
     * Builds the composition these words ask for now, without launching anything, and pins its layers (admins only).
     *
     * @return the layers that will be built in the background (empty when all are cached)
     */
    public List<String> prebuild(String words, Actor actor) {
        if (!actor.admin()) {
            throw new NotAllowedException("Only admins pre-build images.");
        }
        Resolution r = images.current().resolve(compose(List.of(words == null ? "" : words)).spec());
        return imageCache.prebuild(r, actor.name());
    }

    /** The environments the actor may see: their own, or every one for an admin. */
    public List<Environment> list(Actor actor) {
        return actor.admin() ? environments.listAll() : environments.listByOwner(actor.name());
    }

    /** An environment the actor may see (empty when there is none, or when it is someone else's). */
    public Optional<Environment> find(String id, Actor actor) {
        return environments.find(id).filter(e -> actor.mayAccess(e.owner()));
    }

    /** @throws NotAllowedException when it is someone else's (and the actor is not an admin) */
    public Environment get(String id, Actor actor) {
        Environment e = environments.find(id).orElseThrow(() -> new io.genos.orchestrator.EnvironmentNotFoundException(id));
        if (!actor.mayAccess(e.owner())) {
            throw new NotAllowedException("Not allowed: this environment belongs to another user.");
        }
        return e;
    }

    public List<EnvironmentEvent> history(String id, Actor actor) {
        get(id, actor);
        return environments.history(id);
    }

    public List<EnvironmentLog> logs(String id, Actor actor) {
        get(id, actor);
        return environments.logs(id);
    }

    public Environment stop(String id, Actor actor) {
        get(id, actor);
        return environments.stop(id, actor.name());
    }

    /** Starts it again within its owner's quota (its CPUs and memory count again once it runs). */
    public Environment start(String id, Actor actor) {
        Environment e = get(id, actor);
        return environments.start(id, actor.name(), quotaOf(e, actor));
    }

    public Environment reboot(String id, Actor actor) {
        get(id, actor);
        return environments.reboot(id, actor.name());
    }

    public Environment destroy(String id, Actor actor) {
        get(id, actor);
        return environments.destroy(id, actor.name());
    }

    public List<Snapshot> snapshots(String id, Actor actor) {
        get(id, actor);
        return environments.snapshots(id);
    }

    public Snapshot snapshot(String id, String name, Actor actor) {
        get(id, actor);
        return environments.snapshot(id, name, actor.name());
    }

    /** Reverts to a snapshot within its owner's quota (a stopped environment may run again). */
    public Environment revert(String id, String snapshot, Actor actor) {
        Environment e = get(id, actor);
        return environments.revert(id, snapshot, actor.name(), quotaOf(e, actor));
    }

    public void deleteSnapshot(String id, String name, Actor actor) {
        get(id, actor);
        environments.deleteSnapshot(id, name, actor.name());
    }

    /** Extends its lifetime, never beyond the policy's longest lifetime from creation. */
    public Environment extend(String id, Duration by, Actor actor) {
        get(id, actor);
        return environments.extend(id, by, policy.limits().maxTtl(), actor.name());
    }

    /** A terminal on it: tmux in a container, the serial console of a VM. An admin opening another's is audited. */
    public Terminal attachTerminal(String id, int columns, int rows, TerminalOutput output, Actor actor) {
        Environment e = get(id, actor);
        auditAdminAccess(e, actor, "opened the terminal of");
        return environments.attachTerminal(id, columns, rows, output);
    }

    /**
     * The environment whose display the actor opens (empty when there is none or it is someone else's); an admin
     * opening another user's display is audited.
     */
    public Optional<Environment> openDisplay(String id, Actor actor) {
        Optional<Environment> e = find(id, actor);
        e.ifPresent(env -> auditAdminAccess(env, actor, "opened the display of"));
        return e;
    }

    private void auditAdminAccess(Environment e, Actor actor, String what) {
        if (!e.owner().equals(actor.name())) {
            audit.record(actor.name(), "admin-access", e.owner() + "/" + e.name(), actor.name() + " " + what + " "
                    + e.owner() + "/" + e.name() + " (" + e.id() + ")");
        }
    }

    /** The quota of the environment's owner (an admin acting on it spends the owner's, not their own). */
    private io.genos.orchestrator.Quota quotaOf(Environment e, Actor actor) {
        if (e.owner().equals(actor.name())) {
            return quotas.forUser(actor.name(), actor.authorities());
        }
        List<String> roles;
        try {
            roles = users.loadUserByUsername(e.owner()).getAuthorities().stream()
                    .map(org.springframework.security.core.GrantedAuthority::getAuthority).toList();
        } catch (org.springframework.security.core.userdetails.UsernameNotFoundException notLocal) {
            // a Keycloak user: their roles and groups as Keycloak last said, else a plain user's
            io.genos.portal.security.ExternalUsers other = externalUsers.getIfAvailable();
            roles = other == null ? List.of("ROLE_USER")
                    : other.authorities(e.owner()).orElse(List.of("ROLE_USER"));
        }
        return quotas.forUser(e.owner(), roles);
    }

    private static void checkTurns(List<String> turns) {
        if (turns == null || turns.isEmpty()) {
            throw new IllegalArgumentException("no turn given: say what environment you need");
        }
        if (turns.size() > MAX_TURNS) {
            throw new IllegalArgumentException("a conversation has at most " + MAX_TURNS + " turns: start a new one");
        }
        for (String t : turns) {
            if (t != null && t.length() > MAX_TURN) {
                throw new IllegalArgumentException("a turn is at most " + MAX_TURN + " characters");
            }
        }
    }
}
