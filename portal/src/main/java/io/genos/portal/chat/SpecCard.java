package io.genos.portal.chat;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import io.genos.spec.Desktop;
import io.genos.spec.Durations;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Lifetime;
import io.genos.spec.Network;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** The composed spec as an editable form: what the user checks before Launch. */
class SpecCard extends Composite<FormLayout> {

    private static final String AUTO = "(closest match)";

    private final TextField name = new TextField("Name");
    private final Select<String> image = new Select<>();
    private final Select<Kind> kind = new Select<>();
    private final Select<Desktop> desktop = new Select<>();
    private final IntegerField cpus = new IntegerField("CPUs");
    private final IntegerField memory = new IntegerField("Memory (MiB)");
    private final IntegerField disk = new IntegerField("Disk (GiB)");
    private final TextField packages = new TextField("Packages");
    private final Select<Network.Egress> egress = new Select<>();
    private final TextField ttl = new TextField("Lifetime");
    private final TextField idle = new TextField("Stop when idle for");
    private EnvironmentSpec base;
    private boolean filling;

    SpecCard(Catalog catalog, Consumer<EnvironmentSpec> onEdit) {
        FormLayout form = getContent();
        image.setLabel("Image");
        image.setItems(java.util.stream.Stream.concat(java.util.stream.Stream.of(AUTO),
                catalog.images().stream().map(CatalogImage::id)).toList());
        kind.setLabel("Kind");
        kind.setItems(Kind.values());
        kind.setItemLabelGenerator(Kind::json);
        desktop.setLabel("Desktop");
        desktop.setItems(Arrays.stream(Desktop.values()).filter(d -> d != Desktop.OPENBOX).toList());
        desktop.setItemLabelGenerator(Desktop::json);
        egress.setLabel("Network egress");
        egress.setItems(Network.Egress.values());
        egress.setItemLabelGenerator(e -> e.name().toLowerCase(java.util.Locale.ROOT));
        name.setId("spec-name");
        image.setId("spec-image");
        kind.setId("spec-kind");
        desktop.setId("spec-desktop");
        cpus.setId("spec-cpus");
        memory.setId("spec-memory");
        disk.setId("spec-disk");
        packages.setId("spec-packages");
        egress.setId("spec-egress");
        ttl.setId("spec-ttl");
        idle.setId("spec-idle");
        ttl.setPlaceholder("none: until destroyed");
        ttl.setHelperText("e.g. 2 hours, 90 minutes, 1 day");
        idle.setPlaceholder("never");
        idle.setHelperText("e.g. 30 minutes");
        cpus.setStepButtonsVisible(true);
        form.add(name, image, kind, desktop, cpus, memory, disk, egress, ttl, idle, packages);
        form.setColspan(packages, 2);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("500px", 2));
        List.of(name, packages, ttl, idle).forEach(f -> f.addValueChangeListener(e -> edited(onEdit)));
        List.of(cpus, memory, disk).forEach(f -> f.addValueChangeListener(e -> edited(onEdit)));
        image.addValueChangeListener(e -> {
            // A name the composer made up follows the image the user picks; a name the user typed stays.
            if (!filling && base != null && e.isFromClient() && name.getValue().trim().equals(nz(base.name()))
                    && e.getValue() != null && !AUTO.equals(e.getValue())) {
                filling = true;
                try {
                    name.setValue(e.getValue());
                } finally {
                    filling = false;
                }
            }
            edited(onEdit);
        });
        kind.addValueChangeListener(e -> edited(onEdit));
        desktop.addValueChangeListener(e -> edited(onEdit));
        egress.addValueChangeListener(e -> edited(onEdit));
    }

    private void edited(Consumer<EnvironmentSpec> onEdit) {
        if (!filling && base != null) {
            onEdit.accept(read());
        }
    }

    void show(EnvironmentSpec spec) {
        filling = true;
        try {
            base = spec;
            name.setValue(nz(spec.name()));
            image.setValue(spec.image() == null ? AUTO : spec.image());
            kind.setValue(spec.kind());
            desktop.setValue(spec.desktop());
            Resources r = spec.resources();
            cpus.setValue(r == null ? null : r.cpus());
            memory.setValue(r == null ? null : r.memoryMiB());
            disk.setValue(r == null ? null : r.diskGiB());
            packages.setValue(String.join(", ", spec.packagesOrEmpty()));
            // the effective value: the runtimes give an environment that does not say open egress
            egress.setValue(spec.network() == null || spec.network().egress() == null ? Network.Egress.OPEN
                    : spec.network().egress());
            ttl.setValue(spec.lifetime() == null ? "" : Durations.words(spec.lifetime().ttl()));
            idle.setValue(spec.lifetime() == null ? "" : Durations.words(spec.lifetime().idleTimeout()));
            ttl.setInvalid(false);
            idle.setInvalid(false);
        } finally {
            filling = false;
        }
    }

    /** The card as a spec: the composed spec with the user's edits applied. */
    EnvironmentSpec read() {
        EnvironmentSpec.Builder b = base.toBuilder();
        b.name(name.getValue().trim());
        b.image(AUTO.equals(image.getValue()) ? null : image.getValue());
        b.kind(kind.getValue());
        b.desktop(desktop.getValue());
        Resources old = base.resources();
        b.resources(new Resources(cpus.getValue() == null ? 0 : cpus.getValue(),
                memory.getValue() == null ? 0 : memory.getValue(), disk.getValue(),
                old == null ? null : old.gpus()));
        List<String> pkgs = Arrays.stream(packages.getValue().split("[,\\s]+")).map(String::trim)
                .filter(s -> !s.isEmpty()).distinct().toList();
        b.packages(pkgs.isEmpty() ? null : pkgs);
        Network n = base.network();
        if (egress.getValue() != null || n != null) {
            b.network(new Network(egress.getValue(), n == null ? null : n.allow(), n == null ? null : n.ports()));
        }
        String t = iso(ttl);
        String i = iso(idle);
        if (t != null || i != null || base.lifetime() != null) {
            b.lifetime(t == null && i == null ? null : new Lifetime(t, i));
        }
        return b.build();
    }

    /**
     * A duration field as the spec stores it (ISO-8601), null when empty. Words it cannot read mark the field invalid
     * and are passed on as written, so that the launch refuses them by name.
     */
    private static String iso(TextField field) {
        String text = field.getValue().trim();
        try {
            String iso = Durations.toIso(text);
            field.setInvalid(false);
            return iso;
        } catch (IllegalArgumentException e) {
            field.setErrorMessage(e.getMessage());
            field.setInvalid(true);
            return text;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
