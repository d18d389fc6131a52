package io.genos.portal.admin;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.genos.portal.images.ImageForm;
import io.genos.portal.images.ImageRegistry;
import io.genos.portal.images.InvalidImageException;
import io.genos.portal.security.CurrentUser;
import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.CatalogImage;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The catalog for admins: every image (built in or registered, and whether its files are on this host), the composed
 * image layers (the image cache), a form to register an image GenOS cannot build (a VM's qcow2 on this host, a
 * container image in a registry), removal of registered images, and who registered or removed what, when.
 */
@Route("admin/images")
@PageTitle("Images · GenOS")
@RolesAllowed("ADMIN")
public class ImagesView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final ImageRegistry images;
    private final CurrentUser current;
    private final Grid<ImageRegistry.Listed> grid = new Grid<>();
    private final Grid<ImageRegistry.AuditEntry> audit = new Grid<>();

    private final RadioButtonGroup<Kind> kind = new RadioButtonGroup<>("Kind");
    private final TextField id = new TextField("Id");
    private final TextField family = new TextField("OS family");
    private final TextField distro = new TextField("Distribution");
    private final TextField version = new TextField("Version");
    private final Select<Desktop> desktop = new Select<>();
    private final RadioButtonGroup<Protocol> protocol = new RadioButtonGroup<>("Display protocol");
    private final TextField path = new TextField("qcow2 on this host");
    private final TextField rdpUser = new TextField("RDP user");
    private final PasswordField rdpPassword = new PasswordField("RDP password");
    private final IntegerField cpus = new IntegerField("Default CPUs");
    private final IntegerField memory = new IntegerField("Default memory (MiB)");
    private final IntegerField disk = new IntegerField("Default disk (GiB)");
    private final TextField description = new TextField("Description");

    public ImagesView(ImageRegistry images, CurrentUser current, io.genos.orchestrator.ImageCache cache,
            io.genos.portal.service.EnvironmentService service) {
        this.images = images;
        this.current = current;
        setSizeFull();

        id.setId("image-id");
        id.setHelperText("a DNS label, e.g. windows-11");
        family.setId("image-family");
        family.setValue("windows");
        distro.setId("image-distro");
        distro.setValue("windows");
        version.setId("image-version");
        desktop.setLabel("Desktop");
        desktop.setId("image-desktop");
        desktop.setItems(Desktop.values());
        desktop.setItemLabelGenerator(Desktop::json);
        desktop.setValue(Desktop.WINDOWS);
        protocol.setId("image-protocol");
        protocol.setItems(Protocol.VNC, Protocol.RDP, Protocol.SPICE);
        protocol.setItemLabelGenerator(Protocol::json);
        protocol.setValue(Protocol.RDP);
        path.setId("image-path");
        path.setHelperText("absolute path of a standalone qcow2, readable by QEMU; it is used read-only");
        path.setWidthFull();
        rdpUser.setId("image-rdp-user");
        rdpPassword.setId("image-rdp-password");
        rdpPassword.setHelperText("stored with the image, as typed: use a guest account");
        protocol.addValueChangeListener(e -> {
            rdpUser.setEnabled(e.getValue() == Protocol.RDP);
            rdpPassword.setEnabled(e.getValue() == Protocol.RDP);
        });
        kind.setId("image-kind");
        kind.setItems(Kind.VM, Kind.CONTAINER);
        kind.setItemLabelGenerator(k -> k == Kind.VM ? "vm (a qcow2 on this host)" : "container (an image in a registry)");
        kind.setValue(Kind.VM);
        kind.addValueChangeListener(e -> kindChanged(e.getValue()));
        cpus.setId("image-cpus");
        cpus.setValue(2);
        memory.setId("image-memory");
        memory.setValue(4096);
        disk.setId("image-disk");
        disk.setHelperText("empty: the image's own size");
        description.setId("image-description");
        Button register = new Button("Register image", e -> register());
        register.setId("register-image");
        register.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FormLayout form = new FormLayout(kind, id, family, distro, version, desktop, protocol, path, rdpUser, rdpPassword,
                cpus, memory, disk, description);
        form.setColspan(kind, 4);
        form.setColspan(path, 2);
        form.setColspan(description, 2);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("700px", 4));

        grid.setId("images");
        grid.addColumn(l -> l.image().id()).setHeader("Id").setAutoWidth(true);
        grid.addColumn(l -> l.image().kind().json()).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(l -> os(l.image())).setHeader("OS").setAutoWidth(true);
        grid.addColumn(l -> l.image().desktop().json()).setHeader("Desktop").setAutoWidth(true);
        grid.addColumn(l -> l.image().protocols().stream().map(Protocol::json).collect(Collectors.joining(", ")))
                .setHeader("Protocols").setAutoWidth(true);
        grid.addColumn(l -> l.builtIn() ? "built in" : "registered by " + l.registeredBy() + " "
                + TIME.format(l.registeredAt())).setHeader("Source").setAutoWidth(true);
        grid.addColumn(l -> l.present() ? "present" : "missing on this host").setHeader("Files").setAutoWidth(true);
        grid.addColumn(l -> l.image().reference()).setHeader("Reference").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
        grid.setAllRowsVisible(true);

        audit.setId("image-audit");
        audit.addColumn(a -> TIME.format(a.at())).setHeader("When").setAutoWidth(true);
        audit.addColumn(ImageRegistry.AuditEntry::actor).setHeader("Who").setAutoWidth(true);
        audit.addColumn(ImageRegistry.AuditEntry::action).setHeader("What").setAutoWidth(true);
        audit.addColumn(ImageRegistry.AuditEntry::imageId).setHeader("Image").setAutoWidth(true);
        audit.addColumn(a -> a.detail() == null ? "" : a.detail()).setHeader("Detail").setAutoWidth(true);
        audit.setAllRowsVisible(true);

        Paragraph about = new Paragraph("Register an image GenOS cannot build. A VM (e.g. Windows): a qcow2 on this "
                + "host; each VM of it gets its own overlay on the file, which is never written; SPICE and RDP displays "
                + "are shown through an external guacd (genos.streaming.guacd-host). A container: an OCI image in a "
                + "registry (e.g. registry.example.org/team/ubuntu:24.04), pulled with a progress bar when it is first "
                + "launched; Debian and Ubuntu images get GenOS's session, desktops and packages as composed layers; a "
                + "container image with a desktop must run a VNC server on display :1 (port 5901) with the password in "
                + "GENOS_VNC_PASSWORD.");
        about.getStyle().set("color", "var(--lumo-secondary-text-color)");
        add(new H3("Images"), grid, new ComposedImagesPanel(cache, service, current.actor()),
                new H4("Register an image"), about, form, register, new H4("History"), audit);
        refresh();
    }

    private void register() {
        ImageForm form = new ImageForm(kind.getValue(), id.getValue(), family.getValue(), distro.getValue(), version.getValue(),
                desktop.getValue(), protocol.getValue(), path.getValue(),
                rdpUser.isEnabled() ? rdpUser.getValue() : "", rdpPassword.isEnabled() ? rdpPassword.getValue() : "",
                cpus.getValue(), memory.getValue(), disk.getValue(), description.getValue());
        try {
            CatalogImage image = images.register(form, current.name());
            Notification.show("Registered " + image.id(), 4000, Notification.Position.BOTTOM_START);
            id.clear();
            path.clear();
            rdpPassword.clear();
            refresh();
        } catch (InvalidImageException e) {
            Notification n = Notification.show(e.getMessage(), 10000, Notification.Position.MIDDLE);
            n.addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    /** The form speaks of what is registered: a qcow2's path for a VM, a reference for a container. */
    private void kindChanged(Kind k) {
        boolean container = k == Kind.CONTAINER;
        path.setLabel(container ? "Image reference" : "qcow2 on this host");
        path.setHelperText(container ? "e.g. registry.example.org/team/ubuntu:24.04; pulled when first launched"
                : "absolute path of a standalone qcow2, readable by QEMU; it is used read-only");
        if (container && "windows".equals(family.getValue()) && "windows".equals(distro.getValue())) {
            family.setValue("linux");
            distro.setValue("debian");
            desktop.setValue(Desktop.NONE);
            memory.setValue(1024);
            disk.setValue(10);
        }
        if (container) {
            protocol.setValue(Protocol.VNC);
        }
        protocol.setEnabled(!container);
        rdpUser.setEnabled(!container && protocol.getValue() == Protocol.RDP);
        rdpPassword.setEnabled(!container && protocol.getValue() == Protocol.RDP);
        disk.setHelperText(container ? "the container's disk" : "empty: the image's own size");
    }

    private Button actions(ImageRegistry.Listed l) {
        Button remove = new Button("Remove", e -> {
            ConfirmDialog dialog = new ConfirmDialog("Remove " + l.image().id() + "?",
                    "It leaves the catalog; " + (l.image().kind() == Kind.VM ? "its file " : "the Docker image ")
                            + l.image().reference() + " stays where it is.", "Remove",
                    ok -> {
                        try {
                            images.remove(l.image().id(), current.name());
                            refresh();
                        } catch (InvalidImageException ex) {
                            Notification.show(ex.getMessage(), 10000, Notification.Position.MIDDLE)
                                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
                        }
                    });
            dialog.setCancelable(true);
            dialog.setConfirmButtonTheme("error primary");
            dialog.open();
        });
        remove.setId("remove-" + l.image().id());
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        remove.setVisible(!l.builtIn());
        return remove;
    }

    private static String os(CatalogImage i) {
        return List.of(i.os().distro(), i.os().version() == null ? "" : i.os().version()).stream()
                .filter(s -> s != null && !s.isEmpty()).collect(Collectors.joining(" ")).toLowerCase(Locale.ROOT);
    }

    private void refresh() {
        grid.setItems(images.list());
        audit.setItems(images.audit());
    }
}
