package io.genos.portal.service;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code genos.portal.rate}: how many compositions and launches one user may ask for in a minute.
 *
 * @param composePerMinute chat turns composed per user and minute (default 30)
 * @param launchPerMinute launches per user and minute (default 10)
 */
@ConfigurationProperties("genos.portal.rate")
public record RateLimits(@DefaultValue("30") int composePerMinute, @DefaultValue("10") int launchPerMinute) {

    public RateLimits {
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
