package io.genos.portal;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.genos.portal.chat.ChatView;
import io.genos.portal.environments.EnvironmentsView;
import jakarta.annotation.security.PermitAll;

/** The frame around every signed-in view: navigation, who is signed in, sign out. */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    public MainLayout(AuthenticationContext auth, io.genos.portal.security.Passwords passwords) {
        H2 title = new H2("GenOS");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");
        String who = auth.getPrincipalName().orElse("");
        Span user = new Span(who);
        user.setId("current-user");
        Button logout = new Button("Sign out", e -> auth.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        logout.setId("logout");
        Button password = new Button("Password", e -> changePassword(passwords, who));
        password.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        password.setId("change-password");
        // only a local user has a password here (one who signed in through Keycloak changes it there)
        password.setVisible(auth.getAuthenticatedUser(Object.class)
                .filter(org.springframework.security.core.userdetails.UserDetails.class::isInstance).isPresent());
        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title, user, password, logout);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        header.expand(title);
        header.setWidthFull();
        header.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(header);

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("New environment", ChatView.class));
        nav.addItem(new SideNavItem(auth.hasRole("ADMIN") ? "Environments" : "My environments", EnvironmentsView.class));
        nav.addItem(new SideNavItem("API tokens", io.genos.portal.tokens.TokensView.class));
        if (auth.hasRole("ADMIN")) {
            nav.addItem(new SideNavItem("Users", io.genos.portal.admin.UsersView.class));
            nav.addItem(new SideNavItem("Images", io.genos.portal.admin.ImagesView.class));
            nav.addItem(new SideNavItem("Audit", io.genos.portal.admin.AuditView.class));
        }
        addToDrawer(nav);
    }

    /** The dialog in which the signed-in user changes their password. */
    private static void changePassword(io.genos.portal.security.Passwords passwords, String who) {
        com.vaadin.flow.component.dialog.Dialog dialog = new com.vaadin.flow.component.dialog.Dialog();
        dialog.setHeaderTitle("Change your password");
        dialog.setId("password-dialog");
        com.vaadin.flow.component.textfield.PasswordField current =
                new com.vaadin.flow.component.textfield.PasswordField("Current password");
        current.setId("current-password");
        com.vaadin.flow.component.textfield.PasswordField next =
                new com.vaadin.flow.component.textfield.PasswordField("New password");
        next.setId("new-password");
        next.setHelperText(io.genos.portal.security.Passwords.MIN_LENGTH + " characters or more");
        com.vaadin.flow.component.textfield.PasswordField repeated =
                new com.vaadin.flow.component.textfield.PasswordField("New password again");
        repeated.setId("repeat-password");
        Span error = new Span();
        error.setId("password-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        dialog.add(new com.vaadin.flow.component.orderedlayout.VerticalLayout(current, next, repeated, error));
        Button save = new Button("Change", e -> {
            try {
                passwords.change(who, current.getValue(), next.getValue(), repeated.getValue());
                dialog.close();
                com.vaadin.flow.component.notification.Notification.show("Your password is changed.", 4000,
                        com.vaadin.flow.component.notification.Notification.Position.BOTTOM_START);
            } catch (IllegalArgumentException ex) {
                error.setText(ex.getMessage());
            }
        });
        save.setId("save-password");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", e -> dialog.close()), save);
        dialog.open();
    }
}
