package io.genos.portal.quota;

import io.genos.orchestrator.Quota;
import io.genos.portal.quota.QuotaProperties.Limits;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The quota of one user: their own if configured; else, when they are in groups that have a quota class, the most
 * generous of those groups'; else the most generous of their roles' (none: no launch at all).
 */
@Component
public class Quotas {

    /** The authority prefix of a group the identity provider put the user in (e.g. {@code GROUP_students}). */
    public static final String GROUP = "GROUP_";

    private final QuotaProperties properties;

    public Quotas(QuotaProperties properties) {
        this.properties = properties;
    }

    /** @param authorities Spring Security authorities such as {@code ROLE_USER} and {@code GROUP_students} */
    public Quota forUser(String username, Collection<String> authorities) {
        Limits own = properties.users().get(username);
        if (own != null) {
            return quota(own);
        }
        // a group is a quota class chosen for its members: it replaces the role's default, whether larger or smaller
        Quota byGroup = mostGenerous(authorities, properties.groups(),
                a -> a.startsWith(GROUP) ? a.substring(GROUP.length()) : null);
        if (byGroup != null) {
            return byGroup;
        }
        Quota byRole = mostGenerous(authorities, properties.roles(),
                a -> a.startsWith(GROUP) ? null : a.startsWith("ROLE_") ? a.substring(5) : a);
        return byRole == null ? new Quota(0, 0, 0, 0, 0) : byRole;
    }

    /** The most generous limits among the authorities' names (null: not of this kind) that have an entry. */
    private static Quota mostGenerous(Collection<String> authorities, Map<String, Limits> limits,
            Function<String, String> nameOf) {
        Quota best = null;
        for (String authority : authorities) {
            String name = nameOf.apply(authority);
            if (name == null) {
                continue;
            }
            Limits l = limits.get(name.toLowerCase(Locale.ROOT));
            if (l == null) {
                l = limits.get(name);
            }
            if (l != null) {
                Quota q = quota(l);
                best = best == null ? q : new Quota(Math.max(best.maxRunning(), q.maxRunning()),
                        Math.max(best.cpus(), q.cpus()), Math.max(best.memoryMiB(), q.memoryMiB()),
                        Math.max(best.diskGiB(), q.diskGiB()), Math.max(best.gpus(), q.gpus()));
            }
        }
        return best;
    }

    private static Quota quota(Limits l) {
        return new Quota(l.maxRunning(), l.cpus(), l.memory(), l.disk(), l.gpus());
    }
}
