package io.genos.portal.security;

import io.genos.portal.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Sign-ins with a password, throttled and audited: every success and failure is in the audit (user, from where, why);
 * after {@code genos.portal.sign-in.max-failures} failures (default 5) within {@code genos.portal.sign-in.window}
 * (15 minutes) a user name is locked for {@code genos.portal.sign-in.lock} (15 minutes), the right password included,
 * so that guessing costs hours, not seconds. One address that fails {@code genos.portal.sign-in.max-failures-per-address}
 * times (default 20) within the window, whatever the names, is refused for the lock's duration too (trying one
 * password on many names). What it remembers is bounded (the oldest names and addresses go first).
 */
@Component
public class SignInGuard {
    private static final Logger log = LoggerFactory.getLogger(SignInGuard.class);
    /** Most user names whose recent failures are remembered. */
    static final int MAX_TRACKED = 10_000;

    private record Failures(Deque<Instant> at, Instant lockedUntil) {}

    private final AuditLog audit;
    private final int maxFailures;
    private final int maxPerAddress;
    private final Duration window;
    private final Duration lock;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Failures> failures = bounded();
    private final Map<String, Failures> byAddress = bounded();

    /** @param settings {@code genos.portal.sign-in.*}, checked by {@link io.genos.portal.PortalProperties.SignIn} */
    @org.springframework.beans.factory.annotation.Autowired
    public SignInGuard(AuditLog audit, io.genos.portal.PortalProperties settings) {
        this(audit, settings.signIn());
    }

    SignInGuard(AuditLog audit, io.genos.portal.PortalProperties.SignIn settings) {
        int maxFailures = settings.maxFailures();
        Duration window = settings.window();
        Duration lock = settings.lock();
        this.maxPerAddress = settings.maxFailuresPerAddress();
        this.audit = audit;
        this.maxFailures = maxFailures;
        this.window = window;
        this.lock = lock;
    }

    /** The provider the sign-in form goes through: the user store's check, behind the lock, audited. */
    public AuthenticationProvider provider(UserDetailsService users, PasswordEncoder encoder) {
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
        dao.setPasswordEncoder(encoder);
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) throws AuthenticationException {
                String name = authentication.getName() == null ? "" : authentication.getName();
                String key = name.length() > 64 ? name.substring(0, 64) : name;
                String address = address();
                Instant blocked = address == null ? null : lockedUntil(byAddress, address);
                if (blocked != null) {
                    audit.record(key, "sign-in refused", "user " + key, "the address " + address + " is blocked until "
                            + blocked + " after " + maxPerAddress + " failed sign-ins from it");
                    throw new LockedException("Too many failed sign-ins from your address: try again later.");
                }
                Instant until = lockedUntil(key);
                if (until != null) {
                    audit.record(key, "sign-in refused", "user " + key, "locked until " + until + " after "
                            + maxFailures + " failed sign-ins" + from());
                    throw new LockedException("Too many failed sign-ins: try again later.");
                }
                try {
                    Authentication done = dao.authenticate(authentication);
                    succeeded(key);
                    return done;
                } catch (AuthenticationException e) {
                    failed(key, e);
                    throw e;
                }
            }

            @Override
            public boolean supports(Class<?> type) {
                return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
            }
        };
    }

    Instant lockedUntil(String name) {
        return lockedUntil(failures, name);
    }

    private synchronized Instant lockedUntil(Map<String, Failures> tally, String key) {
        Failures f = tally.get(key);
        if (f == null || f.lockedUntil() == null) {
            return null;
        }
        if (!f.lockedUntil().isAfter(clock.instant())) {
            tally.remove(key);
            return null;
        }
        return f.lockedUntil();
    }

    /** Counts a failure for the key; says whether it is locked now. */
    private boolean count(Map<String, Failures> tally, String key, int max, Instant now) {
        Failures f = tally.get(key);
        if (f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(now)) {
            return true;
        }
        if (f == null || f.lockedUntil() != null) {
            f = new Failures(new ArrayDeque<>(), null);
            tally.put(key, f);
        }
        f.at().addLast(now);
        while (!f.at().isEmpty() && f.at().peekFirst().isBefore(now.minus(window))) {
            f.at().removeFirst();
        }
        while (f.at().size() > max) {
            f.at().removeFirst();
        }
        if (f.at().size() >= max) {
            tally.put(key, new Failures(new ArrayDeque<>(), now.plus(lock)));
            return true;
        }
        return false;
    }

    private void succeeded(String name) {
        synchronized (this) {
            failures.remove(name);
        }
        audit.record(name, "signed in", "user " + name, from().isEmpty() ? null : from().substring(2));
    }

    /** A wrong password given elsewhere than the sign-in form (the password change): counts like a failed sign-in. */
    void passwordCheckFailed(String name, String why) {
        failed(name, why);
    }

    private void failed(String name, AuthenticationException e) {
        failed(name, e instanceof org.springframework.security.authentication.DisabledException ? "disabled"
                : "wrong user name or password");
    }

    private void failed(String name, String why) {
        Instant now = clock.instant();
        boolean locked;
        boolean addressBlocked = false;
        String address = address();
        synchronized (this) {
            locked = count(failures, name, maxFailures, now);
            if (address != null) {
                boolean before = lockedUntil(byAddress, address) != null;
                addressBlocked = count(byAddress, address, maxPerAddress, now) && !before;
            }
        }
        audit.record(name, "sign-in failed", "user " + name, why + from());
        if (addressBlocked) {
            log.warn("{} failed sign-ins from {} within {}: blocked for {}", maxPerAddress, address, window, lock);
            audit.record(name, "address blocked", "address " + address, maxPerAddress + " failed sign-ins from "
                    + address + " within " + window.toMinutes() + " minutes: blocked for " + lock.toMinutes()
                    + " minutes");
        }
        if (locked) {
            log.warn("{} failed sign-ins for {} within {}: locked for {}", maxFailures, name, window, lock);
            audit.record(name, "user locked", "user " + name, maxFailures + " failed sign-ins within " + window
                    .toMinutes() + " minutes: locked for " + lock.toMinutes() + " minutes");
        }
    }

    /** ", from 127.0.0.1" for the request being served, or "". */
    private static String from() {
        String a = address();
        return a == null ? "" : ", from " + a;
    }

    /** Where the request being served comes from (behind a proxy: with forwarded headers on, the client). */
    private static String address() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a) {
            return a.getRequest().getRemoteAddr();
        }
        return null;
    }

    private static Map<String, Failures> bounded() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > MAX_TRACKED;
            }
        };
    }
}
