package io.genos.portal.session;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import io.genos.orchestrator.Environment;
import io.genos.streaming.SelectingDisplayGateway;
import io.genos.streaming.StreamingProperties;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Says in the session view, before anything tries to connect, that a display cannot be shown here: a SPICE or RDP
 * display when no external guacd is configured. The same words as the tunnel's refusal
 * ({@link SelectingDisplayGateway#refusal}), so the user sees a sentence instead of a blank canvas.
 */
@Component
public class DisplayNotice {

    private final StreamingProperties streaming;

    public DisplayNotice(StreamingProperties streaming) {
        this.streaming = streaming;
    }

    /** Why this environment's display cannot be shown here; empty when it can. */
    public Optional<String> refusal(Environment env) {
        return SelectingDisplayGateway.refusal(env.displayProtocol(), streaming.guacdConfigured());
    }

    /**
     * Puts the refusal into the display area when there is one.
     *
     * @return whether it did (then the caller must not connect)
     */
    public boolean show(Environment env, Div display) {
        Optional<String> refusal = refusal(env);
        if (refusal.isEmpty()) {
            return false;
        }
        Paragraph text = new Paragraph(refusal.get());
        text.setId("display-notice");
        text.getStyle().set("color", "#f0f0f0").set("padding", "var(--lumo-space-l)").set("max-width", "60em")
                .set("font-size", "var(--lumo-font-size-l)");
        display.removeAll();
        display.add(text);
        display.getElement().setAttribute("data-state", "refused");
        return true;
    }
}
