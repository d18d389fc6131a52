package io.genos.portal.session;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.security.CurrentUser;
import io.genos.spec.policy.PolicyGate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * "Extend by [1 hour] [Extend]": moves the end of the environment's lifetime later, within the policy's longest
 * lifetime. Shown only for environments that have an end and are not over; a refusal (beyond the policy, someone else's
 * environment) is said beside the button and changes nothing.
 */
final class LifetimeExtension extends HorizontalLayout {

    private static final List<Duration> CHOICES =
            List.of(Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4), Duration.ofDays(1));

    private final EnvironmentService environments;
    private final CurrentUser user;
    private final Consumer<Environment> after;
    private final Select<Duration> by = new Select<>();
    private final Button extend = new Button("Extend");
    private final Span status = new Span();
    private String environmentId;

    LifetimeExtension(EnvironmentService environments, CurrentUser user, Consumer<Environment> after) {
        this.environments = environments;
        this.user = user;
        this.after = after;
        setId("lifetime-extension");
        setSpacing(false);
        getStyle().set("gap", "var(--lumo-space-xs)");
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        by.setId("extend-by");
        by.setItems(CHOICES);
        by.setItemLabelGenerator(PolicyGate::human);
        by.setValue(Duration.ofHours(1));
        by.setWidth("9em");
        by.setAriaLabel("Extend the lifetime by");
        extend.setId("extend-ttl");
        extend.addClickListener(e -> extend());
        status.setId("extend-status");
        status.getStyle().set("font-size", "var(--lumo-font-size-s)").set("max-width", "32em");
        add(by, extend, status);
    }

    /** Shows the controls for {@code env} when its lifetime can be extended, hides them otherwise. */
    void show(Environment env) {
        environmentId = env.id();
        setVisible(env.expiresAt() != null && env.state() != EnvironmentState.DESTROYED
                && env.state() != EnvironmentState.FAILED && user.mayAccess(env.owner()));
    }

    private void extend() {
        Duration chosen = by.getValue();
        if (environmentId == null || chosen == null) {
            return;
        }
        try {
            Environment extended = environments.extend(environmentId, chosen, user.actor());
            status.getStyle().set("color", "var(--lumo-success-text-color)");
            status.setText("Extended by " + PolicyGate.human(chosen) + ".");
            after.accept(extended);
        } catch (RuntimeException ex) {
            refuse(ex.getMessage());
        }
    }

    private void refuse(String message) {
        status.getStyle().set("color", "var(--lumo-error-text-color)");
        status.setText(message);
    }
}
