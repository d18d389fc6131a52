package io.genos.portal.admin;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.genos.portal.security.CurrentUser;
import io.genos.portal.security.UserDirectory;
import jakarta.annotation.security.RolesAllowed;

/** Local users: add one with a role and a password, enable or disable, delete. Admins only. */
@Route("admin/users")
@PageTitle("Users · GenOS")
@RolesAllowed("ADMIN")
public class UsersView extends VerticalLayout {

    private final UserDirectory directory;
    private final CurrentUser current;
    private final Grid<UserDirectory.Listed> grid = new Grid<>();

    public UsersView(UserDirectory directory, CurrentUser current) {
        this.directory = directory;
        this.current = current;
        setSizeFull();

        TextField name = new TextField("Username");
        name.setId("new-username");
        name.setHelperText("lower-case letters, digits, . _ -");
        PasswordField password = new PasswordField("Password");
        password.setId("new-password");
        password.setHelperText("at least " + UserDirectory.MIN_PASSWORD + " characters");
        Select<String> role = new Select<>();
        role.setLabel("Role");
        role.setItems("USER", "ADMIN");
        role.setValue("USER");
        role.setId("new-role");
        Button add = new Button("Add user", e -> {
            String error = create(name.getValue().strip(), password.getValue(), role.getValue());
            if (error != null) {
                Notification.show(error, 6000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
            } else {
                Notification.show("Added " + name.getValue().strip(), 3000, Notification.Position.BOTTOM_START);
                name.clear();
                password.clear();
                refresh();
            }
        });
        add.setId("add-user");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(name, password, role, add);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);

        grid.setId("users");
        grid.addColumn(UserDirectory.Listed::username).setHeader("Username").setAutoWidth(true);
        grid.addColumn(r -> String.join(", ", r.roles())).setHeader("Roles").setAutoWidth(true);
        grid.addColumn(r -> r.enabled() ? "enabled" : "disabled").setHeader("State").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
        add(new H3("Users"), form, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    /** @return why the user was not created, or {@code null} when it was */
    String create(String username, String password, String role) {
        try {
            directory.create(username, password, role, current.actor());
            return null;
        } catch (IllegalArgumentException | io.genos.portal.service.NotAllowedException e) {
            return e.getMessage();
        }
    }

    private HorizontalLayout actions(UserDirectory.Listed row) {
        HorizontalLayout out = new HorizontalLayout();
        if (row.username().equals(current.name())) {
            return out; // nobody disables or deletes themselves: the last admin cannot lock everyone out
        }
        Button toggle = new Button(row.enabled() ? "Disable" : "Enable", e -> {
            directory.setEnabled(row.username(), !row.enabled(), current.actor());
            refresh();
        });
        toggle.setId((row.enabled() ? "disable-" : "enable-") + row.username());
        Button delete = new Button("Delete", e -> {
            ConfirmDialog dialog = new ConfirmDialog("Delete " + row.username() + "?",
                    "The user can no longer sign in. Their environments stay until an admin destroys them.", "Delete",
                    ok -> {
                        directory.delete(row.username(), current.actor());
                        refresh();
                    });
            dialog.setCancelable(true);
            dialog.setConfirmButtonTheme("error primary");
            dialog.open();
        });
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        delete.setId("delete-" + row.username());
        out.add(toggle, delete);
        return out;
    }

    private void refresh() {
        grid.setItems(directory.list(current.actor()));
    }
}
