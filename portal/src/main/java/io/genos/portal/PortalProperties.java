package io.genos.portal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The portal's own settings, under {@code genos.portal}, checked once at start-up: a value out of range stops the
 * portal with a message that names the property. (Quotas are the quota package's {@code genos.quotas}; the policy's
 * longest lifetime is {@code genos.policy.max-ttl}; see configs/README.md.)
 *
 * @param adminUsername the first admin, created when there are no users ({@code GENOS_ADMIN_USER})
 * @param adminPassword their password ({@code GENOS_ADMIN_PASSWORD}); blank: one is generated and printed once
 * @param signIn throttling of password sign-ins
 * @param rate how much one user may ask for per minute
 * @param defaultLifetime how long an environment lives when nobody said (then it can be extended, up to the policy's
 *     longest lifetime): none lives for ever by accident
 * @param maxOpenPerUser most display tunnels and terminals one user has open at once (1 to 1000)
 */
@ConfigurationProperties("genos.portal")
public record PortalProperties(@DefaultValue("admin") String adminUsername, @DefaultValue("") String adminPassword,
        @DefaultValue SignIn signIn, @DefaultValue Rate rate, @DefaultValue("PT24H") Duration defaultLifetime,
        @DefaultValue("16") int maxOpenPerUser) {

    public PortalProperties {
        if (adminUsername == null || !adminUsername.matches("[a-z][a-z0-9._-]{1,31}")) {
            throw new IllegalArgumentException("genos.portal.admin-username must be 2 to 32 lower-case letters, digits, "
                    + "dots, dashes or underscores, starting with a letter; was \"" + adminUsername + "\"");
        }
        adminPassword = adminPassword == null ? "" : adminPassword;
        if (maxOpenPerUser < 1 || maxOpenPerUser > 1000) {
            throw new IllegalArgumentException("genos.portal.max-open-per-user must be 1 to 1000, was " + maxOpenPerUser);
        }
        if (defaultLifetime == null || defaultLifetime.isNegative() || defaultLifetime.compareTo(Duration.ofMinutes(5)) < 0) {
            throw new IllegalArgumentException("genos.portal.default-lifetime must be at least 5 minutes, was "
                    + defaultLifetime);
        }
    }

    /** The defaults, as a portal without any setting has them. */
    public static PortalProperties defaults() {
        return new PortalProperties("admin", "", SignIn.DEFAULTS, Rate.DEFAULTS, Duration.ofHours(24), 16);
    }

    /**
     * @param maxFailures failed sign-ins within {@code window} that lock a user name (1 to 1000)
     * @param window how far back failures count
     * @param lock how long a locked name or blocked address stays so
     * @param maxFailuresPerAddress failed sign-ins from one address within {@code window}, whatever the names, that
     *     block the address ({@code maxFailures} to 100000)
     */
    public record SignIn(@DefaultValue("5") int maxFailures, @DefaultValue("PT15M") Duration window,
            @DefaultValue("PT15M") Duration lock, @DefaultValue("20") int maxFailuresPerAddress) {
        public static final SignIn DEFAULTS = new SignIn(5, Duration.ofMinutes(15), Duration.ofMinutes(15), 20);

        public SignIn {
            if (maxFailures < 1 || maxFailures > 1000) {
                throw new IllegalArgumentException("genos.portal.sign-in.max-failures must be 1 to 1000, was "
                        + maxFailures);
            }
            if (window == null || window.isNegative() || window.isZero() || lock == null || lock.isNegative()
                    || lock.isZero()) {
                throw new IllegalArgumentException("genos.portal.sign-in.window and .lock must be positive durations");
            }
            if (maxFailuresPerAddress < maxFailures || maxFailuresPerAddress > 100_000) {
                throw new IllegalArgumentException("genos.portal.sign-in.max-failures-per-address must be from "
                        + "max-failures (" + maxFailures + ") to 100000, was " + maxFailuresPerAddress);
            }
        }
    }

    /**
     * @param composePerMinute chat turns composed per user and minute (1 to 10000)
     * @param launchPerMinute launches per user and minute (1 to 10000)
     */
    public record Rate(@DefaultValue("30") int composePerMinute, @DefaultValue("10") int launchPerMinute) {
        public static final Rate DEFAULTS = new Rate(30, 10);

        public Rate {
            if (composePerMinute < 1 || composePerMinute > 10_000) {
                throw new IllegalArgumentException("genos.portal.rate.compose-per-minute must be 1 to 10000, was "
                        + composePerMinute);
            }
            if (launchPerMinute < 1 || launchPerMinute > 10_000) {
                throw new IllegalArgumentException("genos.portal.rate.launch-per-minute must be 1 to 10000, was "
                        + launchPerMinute);
            }
        }
    }
}
