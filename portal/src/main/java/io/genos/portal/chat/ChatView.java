package io.genos.portal.chat;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.genos.composer.ComposeResult;
import io.genos.composer.NotAnEnvironmentRequestException;
import io.genos.composer.SpecDiff;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.Environments;
import io.genos.portal.security.CurrentUser;
import io.genos.portal.service.CardCheck;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.service.LaunchRefusedException;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Violation;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Say what you need; check the card; Launch. */
@Route("")
@PageTitle("New environment · GenOS")
@PermitAll
public class ChatView extends HorizontalLayout {

    private final EnvironmentService service;
    private final CurrentUser user;

    private final List<String> turns = new ArrayList<>();
    private final VerticalLayout transcript = new VerticalLayout();
    private final TextField input = new TextField();
    private final SpecCard card;
    private final Div violationsBox = new Div();
    private final Div warningsBox = new Div();
    private final Div compositionBox = new Div();
    private final Button launch = new Button("Launch");
    private final VerticalLayout cardPane = new VerticalLayout();
    private EnvironmentSpec spec;
    private List<String> composerWarnings = List.of();

    public ChatView(EnvironmentService service, io.genos.portal.images.ImageRegistry images, CurrentUser user) {
        this.service = service;
        this.user = user;
        this.card = new SpecCard(images.current(), this::cardEdited);
        setSizeFull();
        setPadding(true);

        transcript.setId("transcript");
        transcript.setPadding(false);
        transcript.add(bubble("genos", "What do you need? For example: “a Debian XFCE desktop with Python and 4 GB for two hours”."));
        Scroller scroller = new Scroller(transcript);
        scroller.setSizeFull();
        input.setId("chat-input");
        input.setPlaceholder("Describe the environment you need…");
        input.setWidthFull();
        input.setMaxLength(EnvironmentService.MAX_TURN);
        Button send = new Button("Send", e -> send());
        send.setId("chat-send");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        send.addClickShortcut(Key.ENTER);
        HorizontalLayout bar = new HorizontalLayout(input, send);
        bar.setWidthFull();
        VerticalLayout chat = new VerticalLayout(scroller, bar);
        chat.setSizeFull();
        chat.setPadding(false);
        chat.setFlexGrow(1, scroller);

        launch.setId("launch");
        launch.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SUCCESS);
        launch.addClickListener(e -> launch());
        violationsBox.setId("violations");
        warningsBox.setId("warnings");
        compositionBox.setId("composition");
        HorizontalLayout cardHeader = new HorizontalLayout(new H3("Your environment"), launch);
        cardHeader.setWidthFull();
        cardHeader.setDefaultVerticalComponentAlignment(Alignment.CENTER);
        cardHeader.setJustifyContentMode(JustifyContentMode.BETWEEN);
        cardPane.add(cardHeader, violationsBox, warningsBox, compositionBox, card);
        cardPane.setId("spec-card");
        cardPane.setVisible(false);
        cardPane.setWidth("46%");
        cardPane.getStyle().set("border-left", "1px solid var(--lumo-contrast-10pct)").set("overflow", "auto");
        add(chat, cardPane);
        setFlexGrow(1, chat);
        input.focus();
    }

    private void send() {
        String text = input.getValue().strip();
        if (text.isEmpty()) {
            return;
        }
        input.clear();
        transcript.add(bubble("user", text));
        turns.add(text);
        ComposeResult result;
        try {
            result = service.compose(List.copyOf(turns), user.actor());
        } catch (NotAnEnvironmentRequestException e) {
            turns.removeLast();
            transcript.add(bubble("genos", e.getMessage() + " Tell me what environment you need: an OS, a desktop or a"
                    + " terminal, software, CPUs and memory, how long."));
            return;
        } catch (io.genos.portal.service.RateLimitedException e) {
            turns.removeLast();
            transcript.add(bubble("genos", e.getMessage()));
            return;
        } catch (io.genos.composer.ComposerUnavailableException e) {
            turns.removeLast();
            transcript.add(bubble("genos", "The language model did not answer usefully, so nothing changed: "
                    + e.getMessage()));
            return;
        } catch (RuntimeException e) {
            turns.removeLast();
            transcript.add(bubble("genos", "I could not understand that: " + e.getMessage()));
            return;
        }
        EnvironmentSpec before = spec;
        spec = result.spec();
        composerWarnings = result.warnings();
        List<String> changes = before == null ? List.of() : SpecDiff.between(before, spec);
        if (before == null) {
            String notes = spec.notes() == null || spec.notes().isBlank() ? "" : "\n" + spec.notes();
            transcript.add(bubble("genos", "Here is what I understood. Check it on the right, change anything, then Launch."
                    + notes));
        } else if (changes.isEmpty()) {
            transcript.add(bubble("genos", "Nothing changed in the environment."));
        } else {
            transcript.add(bubble("genos", "Changed: " + String.join("; ", changes) + "."));
        }
        card.show(spec);
        cardPane.setVisible(true);
        CardCheck check = refreshChecks(spec);
        // what policy refuses is said in the chat too, each with its rule; Launch stays off until the card is within it
        List<Violation> refused = new ArrayList<>(result.violations());
        check.violations().stream().filter(v -> !refused.contains(v)).forEach(refused::add);
        if (!refused.isEmpty()) {
            Div said = bubble("genos", "This would be refused: " + String.join("; ", refused.stream()
                    .map(v -> v.field() + ": " + v.message()).toList()) + ". Change it on the card or tell me.");
            said.addClassName("chat-refusal");
            said.getStyle().set("color", "var(--lumo-error-text-color)");
            transcript.add(said);
        }
    }

    private void cardEdited(EnvironmentSpec edited) {
        spec = edited;
        refreshChecks(edited);
    }

    /**
     * Policy, catalog and the runtime's own checks (package names among them), evaluated again on whatever the card
     * now says; and what would have to be built before the environment starts.
     */
    private CardCheck refreshChecks(EnvironmentSpec current) {
        CardCheck check = service.check(current, turns);
        List<Violation> violations = check.violations();
        Set<String> warnings = new LinkedHashSet<>(composerWarnings);
        warnings.addAll(check.warnings());
        List<String> refusals = check.refusals();
        Environments.Preflight preflight = check.preflight();
        violationsBox.removeAll();
        if (!violations.isEmpty() || !refusals.isEmpty()) {
            UnorderedList list = new UnorderedList();
            violations.forEach(v -> list.add(new ListItem(v.field() + ": " + v.message())));
            refusals.forEach(r -> list.add(new ListItem(r)));
            Paragraph head = new Paragraph(violations.isEmpty() ? "Launch would be refused:" : "Policy would refuse this:");
            head.getStyle().set("color", "var(--lumo-error-text-color)").set("font-weight", "600");
            violationsBox.add(head, list);
        }
        warningsBox.removeAll();
        if (!warnings.isEmpty()) {
            UnorderedList list = new UnorderedList();
            warnings.forEach(w -> list.add(new ListItem(w)));
            list.getStyle().set("color", "var(--lumo-warning-text-color, #8a6d00)");
            warningsBox.add(list);
        }
        compositionBox.removeAll();
        if (preflight != null && preflight.toPull() != null) {
            Paragraph p = new Paragraph("To pull from its registry before it starts: " + preflight.toPull()
                    + (preflight.layers().isEmpty() ? "" : ", then to build on it: " + String.join(", then ",
                            preflight.layers())) + ". Later launches reuse it.");
            compositionBox.getElement().setAttribute("data-ready", "false");
            p.getStyle().set("font-size", "var(--lumo-font-size-s)").set("margin", "0");
            compositionBox.add(p);
        } else if (preflight != null && !preflight.layers().isEmpty()) {
            Paragraph p;
            if (preflight.toBuild().isEmpty()) {
                p = new Paragraph("Ready: " + String.join(" and ", preflight.layers())
                        + (preflight.layers().size() == 1 ? " is" : " are") + " in the image cache, so it starts at once.");
                compositionBox.getElement().setAttribute("data-ready", "true");
            } else {
                p = new Paragraph("To build before it starts: " + String.join(", then ", preflight.toBuild())
                        + ". A desktop takes minutes the first time, a few packages seconds; later launches reuse it.");
                compositionBox.getElement().setAttribute("data-ready", "false");
            }
            p.getStyle().set("font-size", "var(--lumo-font-size-s)").set("margin", "0");
            compositionBox.add(p);
        }
        launch.setEnabled(violations.isEmpty() && refusals.isEmpty());
        return check;
    }

    private void launch() {
        EnvironmentSpec chosen = card.read();
        try {
            // the service applies every rule again; a refusal shows on the card as it stands
            Environment env = service.launch(chosen, turns, user.actor());
            getUI().ifPresent(ui -> ui.navigate("session/" + env.id()));
        } catch (RuntimeException e) {
            refreshChecks(chosen);
            String message = e instanceof LaunchRefusedException ? e.getMessage() : "Not launched: " + e.getMessage();
            Notification n = Notification.show(message, 8000, Notification.Position.MIDDLE);
            n.addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    private static Div bubble(String who, String text) {
        Div d = new Div(new Span(text));
        d.addClassName("chat-" + who);
        d.getStyle().set("padding", "var(--lumo-space-s) var(--lumo-space-m)").set("border-radius", "var(--lumo-border-radius-l)")
                .set("max-width", "85%").set("white-space", "pre-wrap");
        if (who.equals("user")) {
            d.getStyle().set("align-self", "flex-end").set("background", "var(--lumo-primary-color-10pct)");
        } else {
            d.getStyle().set("background", "var(--lumo-contrast-5pct)");
        }
        return d;
    }
}
