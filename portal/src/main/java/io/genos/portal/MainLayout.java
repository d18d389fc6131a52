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

    public MainLayout(AuthenticationContext auth) {
        H2 title = new H2("GenOS");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("margin", "0");
        String who = auth.getPrincipalName().orElse("");
        Span user = new Span(who);
        user.setId("current-user");
        Button logout = new Button("Sign out", e -> auth.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        logout.setId("logout");
        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), title, user, logout);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        header.expand(title);
        header.setWidthFull();
        header.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(header);

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("New environment", ChatView.class));
        nav.addItem(new SideNavItem(auth.hasRole("ADMIN") ? "Environments" : "My environments", EnvironmentsView.class));
        if (auth.hasRole("ADMIN")) {
            nav.addItem(new SideNavItem("Users", io.genos.portal.admin.UsersView.class));
            nav.addItem(new SideNavItem("Images", io.genos.portal.admin.ImagesView.class));
            nav.addItem(new SideNavItem("Audit", io.genos.portal.admin.AuditView.class));
        }
        addToDrawer(nav);
    }
}
