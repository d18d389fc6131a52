package io.genos.portal.lifetime;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * When someone last used each environment (a key or pointer input through any of its sessions). An open but
 * untouched tab sends no input, so it does not keep an environment from going idle.
 */
@Component
public class Activity {

    private final Map<String, Instant> lastInput = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public void touch(String environmentId) {
        if (environmentId != null) {
            lastInput.put(environmentId, clock.instant());
        }
    }

    public Optional<Instant> lastInput(String environmentId) {
        return Optional.ofNullable(lastInput.get(environmentId));
    }

    void forget(String environmentId) {
        lastInput.remove(environmentId);
    }
}
