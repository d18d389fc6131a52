package io.genos.portal.quota;

import io.genos.orchestrator.Quota;
import io.genos.portal.quota.QuotaProperties.Limits;
import java.util.Collection;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The quota of one user: their own if configured, else the most generous of their roles' (none: no launch at all). */
@Component
public class Quotas {

    private final QuotaProperties properties;

    public Quotas(QuotaProperties properties) {
        this.properties = properties;
    }

    /** @param roles Spring Security authorities such as {@code ROLE_USER} */
    public Quota forUser(String username, Collection<String> roles) {
        Limits own = properties.users().get(username);
        if (own != null) {
            return quota(own);
        }
        Quota best = null;
        for (String authority : roles) {
            String role = authority.startsWith("ROLE_") ? authority.substring(5) : authority;
            Limits l = properties.roles().get(role.toLowerCase(Locale.ROOT));
            if (l == null) {
                l = properties.roles().get(role);
            }
            if (l != null) {
                Quota q = quota(l);
                best = best == null ? q : new Quota(Math.max(best.maxRunning(), q.maxRunning()),
                        Math.max(best.cpus(), q.cpus()), Math.max(best.memoryMiB(), q.memoryMiB()),
                        Math.max(best.diskGiB(), q.diskGiB()), Math.max(best.gpus(), q.gpus()));
            }
        }
        return best == null ? new Quota(0, 0, 0, 0, 0) : best;
    }

    private static Quota quota(Limits l) {
        return new Quota(l.maxRunning(), l.cpus(), l.memory(), l.disk(), l.gpus());
    }
}
