package io.genos.portal.tokens;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.genos.portal.security.ApiTokens;
import io.genos.portal.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The signed-in user's personal API tokens: make one (its secret is shown here once, then only its hash is kept),
 * see each one's expiry and last use, revoke.
 */
@Route("tokens")
@PageTitle("API tokens · GenOS")
@PermitAll
public class TokensView extends VerticalLayout {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final ApiTokens tokens;
    private final CurrentUser current;
    private final Grid<ApiTokens.Listed> grid = new Grid<>();

    public TokensView(ApiTokens tokens, CurrentUser current) {
        this.tokens = tokens;
        this.current = current;
        setSizeFull();
        TextField name = new TextField("Name");
        name.setId("token-name");
        name.setHelperText("what uses it, e.g. my laptop's CLI");
        name.setMaxLength(80);
        Select<Integer> days = new Select<>();
        days.setLabel("Lasts");
        days.setItems(1, 7, 30, 90, 365);
        days.setItemLabelGenerator(d -> d == 1 ? "1 day" : d + " days");
        days.setValue(30);
        days.setId("token-days");
        TextField secret = new TextField("Your new token: copy it now, it is not shown again");
        secret.setId("new-token");
        secret.setReadOnly(true);
        secret.setWidthFull();
        secret.setVisible(false);
        Button create = new Button("Make token", e -> {
            try {
                var made = tokens.create(current.name(), name.getValue(), Duration.ofDays(days.getValue()));
                secret.setValue(made.token());
                secret.setVisible(true);
                name.clear();
                refresh();
            } catch (IllegalArgumentException ex) {
                Notification.show(ex.getMessage(), 6000, Notification.Position.MIDDLE)
                        .addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
        });
        create.setId("make-token");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, days, create);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        grid.setId("tokens");
        grid.addColumn(ApiTokens.Listed::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(ApiTokens.Listed::id).setHeader("Id").setAutoWidth(true);
        grid.addColumn(t -> when(t.createdAt())).setHeader("Made").setAutoWidth(true);
        grid.addColumn(t -> when(t.expiresAt())).setHeader("Expires").setAutoWidth(true);
        grid.addColumn(t -> t.lastUsedAt() == null ? "never" : when(t.lastUsedAt())).setHeader("Last used").setAutoWidth(true);
        grid.addColumn(t -> t.revokedAt() != null ? "revoked" : t.live(Instant.now()) ? "live" : "expired")
                .setHeader("State").setAutoWidth(true);
        grid.addComponentColumn(t -> {
            Button revoke = new Button("Revoke", e -> {
                tokens.revoke(t.id(), current.name(), false);
                refresh();
            });
            revoke.setId("revoke-" + t.id());
            revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
            revoke.setEnabled(t.live(Instant.now()));
            return revoke;
        }).setAutoWidth(true);
        add(new H3("API tokens"), new Paragraph("Scripts and the CLI (./genos env …) act as you with a token: "
                + "Authorization: Bearer genos_…. The API is described at /api/v1/openapi.json."), form, secret, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private static String when(Instant i) {
        return WHEN.format(i);
    }

    private void refresh() {
        grid.setItems(tokens.list(current.name()));
    }
}
