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
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;

/** Local users: add one with a role and a password, enable or disable, delete. Admins only. */
@Route("admin/users")
@PageTitle("Users · GenOS")
@RolesAllowed("ADMIN")
public class UsersView extends VerticalLayout {

    static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    static final int MIN_PASSWORD = 10;

    record Row(String username, boolean enabled, String roles) {}

    private final JdbcUserDetailsManager users;
    private final PasswordEncoder encoder;
    private final JdbcClient jdbc;
    private final CurrentUser current;
    private final io.genos.portal.audit.AuditLog audit;
    private final io.genos.portal.security.UserAccess access;
    private final Grid<Row> grid = new Grid<>();

    public UsersView(JdbcUserDetailsManager users, PasswordEncoder encoder, JdbcClient jdbc, CurrentUser current,
            io.genos.portal.audit.AuditLog audit, io.genos.portal.security.UserAccess access) {
        this.audit = audit;
        this.access = access;
        this.users = users;
        this.encoder = encoder;
        this.jdbc = jdbc;
        this.current = current;
        setSizeFull();

        TextField name = new TextField("Username");
        name.setId("new-username");
        name.setHelperText("lower-case letters, digits, . _ -");
        PasswordField password = new PasswordField("Password");
        password.setId("new-password");
        password.setHelperText("at least " + MIN_PASSWORD + " characters");
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
        grid.addColumn(Row::username).setHeader("Username").setAutoWidth(true);
        grid.addColumn(Row::roles).setHeader("Roles").setAutoWidth(true);
        grid.addColumn(r -> r.enabled() ? "enabled" : "disabled").setHeader("State").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
        add(new H3("Users"), form, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    /** @return why the user was not created, or {@code null} when it was */
    String create(String username, String password, String role) {
        if (!USERNAME.matcher(username).matches()) {
            return "A username is 2 to 32 lower-case letters, digits, dots, dashes or underscores, starting with a letter.";
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            return "The password needs at least " + MIN_PASSWORD + " characters.";
        }
        if (!List.of("USER", "ADMIN").contains(role)) {
            return "Unknown role " + role + ".";
        }
        if (users.userExists(username)) {
            return "There is already a user " + username + ".";
        }
        users.createUser(User.withUsername(username).password(encoder.encode(password))
                .roles(role.equals("ADMIN") ? new String[] {"ADMIN", "USER"} : new String[] {"USER"}).build());
        audit.record(current.name(), "user created", "user " + username, "role " + role.toLowerCase(java.util.Locale.ROOT));
        return null;
    }

    private HorizontalLayout actions(Row row) {
        HorizontalLayout out = new HorizontalLayout();
        if (row.username().equals(current.name())) {
            return out; // nobody disables or deletes themselves: the last admin cannot lock everyone out
        }
        Button toggle = new Button(row.enabled() ? "Disable" : "Enable", e -> {
            jdbc.sql("update users set enabled = :e where username = :u").param("e", !row.enabled())
                    .param("u", row.username()).update();
            audit.record(current.name(), row.enabled() ? "user disabled" : "user enabled", "user " + row.username(), null);
            if (row.enabled()) {
                access.revoke(row.username()); // their pages, tunnels and terminals end now
            }
            refresh();
        });
        toggle.setId((row.enabled() ? "disable-" : "enable-") + row.username());
        Button delete = new Button("Delete", e -> {
            ConfirmDialog dialog = new ConfirmDialog("Delete " + row.username() + "?",
                    "The user can no longer sign in. Their environments stay until an admin destroys them.", "Delete",
                    ok -> {
                        users.deleteUser(row.username());
                        access.revoke(row.username());
                        audit.record(current.name(), "user deleted", "user " + row.username(),
                                "their environments stay until an admin destroys them");
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
        // two plain queries, grouped here: portable across H2 and PostgreSQL
        java.util.Map<String, List<String>> roles = new java.util.TreeMap<>();
        jdbc.sql("select username, authority from authorities").query((rs, i) -> {
            roles.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>())
                    .add(rs.getString(2).replace("ROLE_", "").toLowerCase(java.util.Locale.ROOT));
            return null;
        }).list();
        grid.setItems(jdbc.sql("select username, enabled from users order by username")
                .query((rs, i) -> new Row(rs.getString(1), rs.getBoolean(2),
                        String.join(", ", roles.getOrDefault(rs.getString(1), List.of()).stream().sorted().toList())))
                .list());
    }
}
