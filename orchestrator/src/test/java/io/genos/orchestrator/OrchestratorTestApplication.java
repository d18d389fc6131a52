package io.genos.orchestrator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A minimal Boot application around the module, as the portal will assemble it (it scans io.genos). */
@SpringBootApplication
class OrchestratorTestApplication {

    /** Listens like the portal will: records every state change and progress step. */
    @Component
    static class RecordedEvents {
        final List<Object> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(EnvironmentStateChanged e) {
            events.add(e);
        }

        @EventListener
        void on(EnvironmentProgress e) {
            events.add(e);
        }
    }
}
