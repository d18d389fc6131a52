package io.genos.spec.catalog;

import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The images GenOS can provision, and resolution of a spec to the closest of them. */
public final class Catalog {

    private static final String RESOURCE = "/io/genos/spec/catalog/catalog.json";

    private record CatalogFile(List<CatalogImage> images, Map<String, DesktopLayer> desktopLayers) {}

    /** Where a composed desktop's VNC display listens inside the container (display :1). */
    static final int COMPOSED_DISPLAY_PORT = 5901;

    private final List<CatalogImage> images;
    private final Map<Desktop, DesktopLayer> desktopLayers;

    public Catalog(List<CatalogImage> images) {
        this(images, Map.of());
    }

    public Catalog(List<CatalogImage> images, Map<Desktop, DesktopLayer> desktopLayers) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("the catalog is empty");
        }
        this.images = List.copyOf(images);
        this.desktopLayers = Map.copyOf(desktopLayers);
    }

    /** The catalog packaged with GenOS (built from {@code vm-images/catalog.json}). */
    public static Catalog builtIn() {
        try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("catalog resource " + RESOURCE + " is missing from the build");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Catalog load(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static Catalog parse(byte[] json) {
        JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
        CatalogFile file = mapper.readValue(json, CatalogFile.class);
        Map<Desktop, DesktopLayer> layers = new EnumMap<>(Desktop.class);
        if (file.desktopLayers() != null) {
            file.desktopLayers().forEach((name, layer) -> layers.put(Desktop.fromJson(name), layer));
        }
        return new Catalog(file.images(), layers);
    }

    /** The same catalog with other images (admin-registered ones added, say) and the same desktop layers. */
    public Catalog withImages(List<CatalogImage> others) {
        return new Catalog(others, desktopLayers);
    }

    /** The desktops GenOS composes on demand, with their recipes. */
    public Map<Desktop, DesktopLayer> desktopLayers() {
        return desktopLayers;
    }

    public List<CatalogImage> images() {
        return images;
    }

    public Optional<CatalogImage> find(String id) {
        return images.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /**
     * Resolves a spec to an image. An explicit {@code image} that exists wins (an unknown one is replaced, with a
     * warning). Otherwise the closest image by kind, OS, version and desktop is chosen, and every difference the
     * user would notice is said in a warning. Missing resources are taken from the image's defaults.
     */
    public Resolution resolve(EnvironmentSpec spec) {
        List<String> warnings = new ArrayList<>();
        CatalogImage chosen = null;
        if (spec.image() != null && !composedIds().contains(spec.image())) {
            chosen = find(spec.image()).orElse(null);
            if (chosen == null) {
                warnings.add("image " + spec.image() + " is not in the catalog; choosing the closest one");
            }
        }
        Composition composition = null;
        if (chosen == null) {
            chosen = images.stream()
                    .max(Comparator.comparingInt((CatalogImage i) -> score(spec, i)).thenComparing(i -> -images.indexOf(i)))
                    .orElseThrow();
            Optional<Composition> desktop = composeDesktop(spec, chosen);
            if (desktop.isPresent()) {
                composition = desktop.get();
                chosen = composedImage(chosen, composition);
            }
            explain(spec, chosen, warnings);
        }
        if (chosen.aptBased()) {
            List<String> installed = chosen.packages();
            List<String> missing = spec.packagesOrEmpty().stream().filter(p -> !installed.contains(p)).toList();
            CatalogImage start = composition == null ? chosen : composition.start();
            boolean session = start.external() && start.kind() == Kind.CONTAINER;
            if (!missing.isEmpty() || session && composition == null) {
                Composition c = composition == null ? new Composition(chosen, null, null, missing, session)
                        : new Composition(composition.start(), composition.desktop(), composition.desktopLayer(), missing,
                                session);
                composition = c;
                chosen = composedImage(chosen, c);
            } else if (session) {
                composition = new Composition(composition.start(), composition.desktop(), composition.desktopLayer(),
                        composition.packages(), true);
            }
        }
        EnvironmentSpec.Builder b = spec.toBuilder().image(chosen.id());
        if (spec.kind() == null) {
            b.kind(chosen.kind());
        }
        if (spec.os() == null) {
            b.os(chosen.os());
        }
        if (spec.desktop() == null) {
            b.desktop(chosen.desktop() == Desktop.OPENBOX ? Desktop.NONE : chosen.desktop());
        }
        Resources d = chosen.defaults();
        Resources r = spec.resources();
        b.resources(r == null ? d : new Resources(r.cpus() > 0 ? r.cpus() : d.cpus(),
                r.memoryMiB() > 0 ? r.memoryMiB() : d.memoryMiB(),
                r.diskGiB() != null ? r.diskGiB() : d.diskGiB(), r.gpus()));
        if (spec.streaming() == null || spec.streaming().protocol() == null) {
            if (!chosen.protocols().isEmpty()) {
                Streaming s = spec.streaming();
                b.streaming(new Streaming(chosen.protocols().getFirst(), s == null ? null : s.width(),
                        s == null ? null : s.height()));
            }
        } else if (!chosen.protocols().contains(spec.streaming().protocol())) {
            warnings.add(chosen.id() + " does not speak " + spec.streaming().protocol().json() + "; it streams over "
                    + chosen.protocols().getFirst().json());
        }
        return new Resolution(b.build(), chosen, warnings, composition);
    }

    /**
     * A desktop the chosen container image does not run but GenOS composes: a desktop layer on the catalog's image of
     * the same OS without a desktop. Empty when the image already runs it, or when it cannot be composed here.
     */
    private Optional<Composition> composeDesktop(EnvironmentSpec spec, CatalogImage chosen) {
        Desktop want = spec.desktop();
        if (want == null || want == Desktop.NONE || want == chosen.desktop() || !chosen.aptBased()
                || !desktopLayers.containsKey(want)) {
            return Optional.empty();
        }
        // a VM's desktop goes on a VM image GenOS builds (its disk is derived offline); a container's on any
        return images.stream()
                .filter(i -> i.kind() == chosen.kind() && !i.graphical() && i.reference() != null
                        && Objects.equals(i.os(), chosen.os()) && (i.kind() == Kind.CONTAINER || !i.external()))
                .findFirst()
                .map(start -> new Composition(start, want, desktopLayers.get(want), List.of()));
    }

    /** The image a composition makes: the start image with the desktop layer's and the package layer's software. */
    private static CatalogImage composedImage(CatalogImage chosen, Composition c) {
        CatalogImage start = c.start();
        List<String> packages = new ArrayList<>(c.desktop() == null ? chosen.packages() : start.packages());
        if (c.desktopLayer() != null) {
            c.desktopLayer().packages().stream().filter(p -> !packages.contains(p)).forEach(packages::add);
        }
        c.packages().stream().filter(p -> !packages.contains(p)).forEach(packages::add);
        if (c.desktop() == null) {
            return new CatalogImage(chosen.id(), chosen.kind(), chosen.os(), chosen.desktop(), chosen.protocols(),
                    chosen.defaults(), packages, chosen.reference(), chosen.displayPort(), chosen.description(),
                    chosen.external());
        }
        String desktop = c.desktop().json();
        boolean vm = start.kind() == Kind.VM;
        String id = start.os().distro() + "-" + desktop + (vm ? "-vm" : "");
        return new CatalogImage(id, start.kind(), start.os(), c.desktop(), List.of(Streaming.Protocol.VNC),
                chosen.graphical() ? chosen.defaults() : start.defaults(), packages, start.reference(),
                vm ? 0 : COMPOSED_DISPLAY_PORT, cap(start.os().distro()) + " " + start.os().version()
                        + (vm ? " VM" : "") + " with the " + desktop.toUpperCase(Locale.ROOT)
                        + " desktop, composed on demand", start.external());
    }

    /** The ids of the images compositions make ({@code debian-kde}): a spec naming one is resolved afresh. */
    private java.util.Set<String> composedIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (CatalogImage i : images) {
            if (i.kind() == Kind.CONTAINER && !i.graphical() && i.aptBased() && find(i.os().distro()).isEmpty()) {
                desktopLayers.keySet().forEach(d -> ids.add(i.os().distro() + "-" + d.json()));
            } else if (i.kind() == Kind.VM && !i.graphical() && i.aptBased() && !i.external()) {
                desktopLayers.keySet().forEach(d -> ids.add(i.os().distro() + "-" + d.json() + "-vm"));
            }
        }
        images.forEach(i -> ids.remove(i.id()));
        return ids;
    }

    private int score(EnvironmentSpec spec, CatalogImage i) {
        boolean composable = spec.desktop() != null && desktopLayers.containsKey(spec.desktop())
                && i.kind() == Kind.CONTAINER && !i.graphical() && i.aptBased();
        int s = 0;
        if (spec.kind() != null) {
            s += spec.kind() == i.kind() ? 100 : -100;
        }
        Os want = spec.os();
        if (want != null) {
            if (want.family() != null && want.family().equals(i.os().family())) {
                s += 40;
            }
            if (want.distro() != null && want.distro().equalsIgnoreCase(i.os().distro())) {
                s += 30;
                if (want.version() != null && want.version().equals(i.os().version())) {
                    s += 10;
                }
            }
        }
        Desktop d = spec.desktop();
        if (d != null) {
            if (d == i.desktop()) {
                s += 50;
            } else if ((d == Desktop.NONE) == !i.graphical()) {
                s += 20;
            } else if (d != Desktop.NONE && i.graphical()) {
                s += 20;
            } else if (composable) {
                s += 15; // the desktop is composed on it: its OS counts more than a desktop image of another OS
            } else {
                s -= 30;
            }
        } else if (i.desktop() == Desktop.XFCE && i.kind() == Kind.CONTAINER) {
            s += 5; // the default desktop; a VM asked for without one gets the catalog's first plain VM (no GBs of desktop)
        }
        if (i.id().endsWith("-test") || i.description() != null && i.description().startsWith("[test]")) {
            s -= 15;
        }
        if (spec.streaming() != null && spec.streaming().protocol() != null && i.protocols().contains(spec.streaming().protocol())) {
            s += 5;
        }
        return s;
    }

    private static void explain(EnvironmentSpec spec, CatalogImage i, List<String> warnings) {
        Os want = spec.os();
        if (spec.kind() != null && spec.kind() != i.kind()) {
            warnings.add("no " + spec.kind().json() + " image matches; " + i.id() + " is a " + i.kind().json());
        }
        if (want != null && want.distro() != null && !want.distro().equalsIgnoreCase(i.os().distro())) {
            warnings.add(cap(want.distro()) + " is not in the catalog; " + i.id() + " is the closest image");
        } else if (want != null && want.version() != null && !Objects.equals(want.version(), i.os().version())) {
            warnings.add(cap(want.distro() == null ? i.os().distro() : want.distro()) + " " + want.version()
                    + " is not in the catalog; " + i.id() + " runs " + i.os().version());
        }
        if (spec.desktop() != null && spec.desktop() != i.desktop() && spec.desktop() != Desktop.NONE) {
            warnings.add(spec.desktop().json().toUpperCase(Locale.ROOT) + " is not in the catalog; " + i.id() + " runs "
                    + i.desktop().json().toUpperCase(Locale.ROOT));
        }
        if (spec.kind() == Kind.VM && i.kind() == Kind.CONTAINER) {
            warnings.add("a container shares the host kernel");
        }
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
