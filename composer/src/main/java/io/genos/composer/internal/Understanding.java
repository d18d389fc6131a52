package io.genos.composer.internal;

import io.genos.composer.Composer;

import io.genos.composer.ComposeResult;
import io.genos.composer.NotAnEnvironmentRequestException;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Lifetime;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import io.genos.spec.Violation;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import io.genos.spec.policy.PolicyGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads every turn into a {@link Draft}, then turns the draft into the spec: required fields the request did not
 * mention come from the image the catalog would choose, the name is a slug of what was asked, and the notes say what
 * was assumed. Policy checks the result and the raw words.
 */
public final class Understanding {

    private final Catalog catalog;
    private final PolicyGate gate;
    private final Software software;
    private final Set<String> imageIds;
    private final Resources fallbackDefaults;

    public Understanding(Catalog catalog, PolicyGate gate, Software software) {
        this.catalog = catalog;
        this.gate = gate;
        this.software = software;
        this.imageIds = catalog.images().stream().map(CatalogImage::id).collect(Collectors.toUnmodifiableSet());
        this.fallbackDefaults = catalog.resolve(EnvironmentSpec.builder().name("x").build()).spec().resources();
    }

    public ComposeResult compose(List<String> turns) {
        Composer.requireTurns(turns);
        Draft d = new Draft();
        for (String turn : turns) {
            TurnReader.read(turn, d, software, fallbackDefaults, imageIds);
        }
        List<Violation> requestViolations = new ArrayList<>(gate.checkRequest(turns));
        requestViolations.addAll(RequestRules.check(turns, requestViolations));
        if (!d.looksLikeARequest() && requestViolations.isEmpty()) {
            throw new NotAnEnvironmentRequestException("this does not ask for an environment; say what you need, "
                    + "e.g. \"a Debian desktop with Firefox, 2 CPUs and 4 GB of RAM\"");
        }
        return finish(d, requestViolations);
    }

    private ComposeResult finish(Draft d, List<Violation> requestViolations) {
        List<String> assumed = new ArrayList<>(d.notes);
        if (d.sshWanted) {
            if (d.desktop != null && d.desktop != Desktop.NONE) {
                d.packages.add("openssh-server");
                assumed.add("SSH access through openssh-server beside the desktop");
            } else {
                if (d.protocol == null) {
                    d.protocol = Streaming.Protocol.SSH;
                }
                if (d.desktop == null) {
                    d.desktop = Desktop.NONE;
                }
            }
        }
        if ("windows".equals(d.family)) {
            d.kind = Kind.VM;
            assumed.removeIf(n -> n.contains("XFCE"));
            if (d.desktop != Desktop.NONE) {
                d.desktop = Desktop.WINDOWS;
            }
            if (d.protocol == null && d.desktop == Desktop.WINDOWS) {
                d.protocol = Streaming.Protocol.RDP;
                assumed.add("RDP, the way to reach a Windows desktop");
            }
            if (d.windowsServer && d.version == null) {
                d.version = "2022";
                assumed.add("Windows Server 2022");
            }
        }
        if (d.desktop == Desktop.WINDOWS && !"windows".equals(d.family)) {
            d.desktop = Desktop.XFCE;
        }

        EnvironmentSpec.Builder b = EnvironmentSpec.builder();
        b.kind(d.kind);
        // an image named in an earlier turn does not hold once the kind changed ("... make it a container instead")
        b.image(d.image != null && d.kind != null
                && catalog.find(d.image).map(i -> i.kind() != d.kind).orElse(false) ? null : d.image);
        if (d.family != null) {
            b.os(new Os(d.family, d.distro, d.version));
        }
        b.desktop(d.desktop);
        if (d.cpus != null || d.memoryMiB != null || d.diskGiB != null || d.gpus != null) {
            b.resources(new Resources(d.cpus == null ? 0 : d.cpus, d.memoryMiB == null ? 0 : d.memoryMiB, d.diskGiB,
                    d.gpus));
        }
        if (d.protocol != null) {
            b.streaming(new Streaming(d.protocol, d.width, d.height));
        } else if (d.width != null) {
            b.streaming(new Streaming(null, d.width, d.height));
        }
        b.name("x");
        Resolution resolution = catalog.resolve(b.build());
        EnvironmentSpec resolved = resolution.spec();
        CatalogImage image = resolution.image();

        if (d.kind == null) {
            assumed.add("a container: nothing asked for needs a kernel of its own");
        }
        b.kind(d.kind != null ? d.kind : Kind.CONTAINER);
        if (d.family == null) {
            b.os(resolved.os());
            assumed.add(describe(resolved.os()) + ", the catalog's default");
        }
        Resources r = resolved.resources();
        List<String> defaulted = new ArrayList<>();
        if (d.cpus == null) {
            defaulted.add(r.cpus() + (r.cpus() == 1 ? " CPU" : " CPUs"));
        }
        if (d.memoryMiB == null) {
            defaulted.add(r.memoryMiB() + " MiB of memory");
        }
        if (!defaulted.isEmpty()) {
            assumed.add(String.join(" and ", defaulted) + " from the " + image.id() + " image's defaults");
        }
        b.resources(new Resources(d.cpus != null ? d.cpus : r.cpus(), d.memoryMiB != null ? d.memoryMiB : r.memoryMiB(),
                d.diskGiB, d.gpus));
        b.packages(d.packages.isEmpty() ? null : List.copyOf(d.packages));
        if (d.egress != null || !d.ports.isEmpty()) {
            b.network(new Network(d.egress, d.egress == Network.Egress.ALLOWLIST ? List.copyOf(d.allow) : null,
                    d.ports.isEmpty() ? null : List.copyOf(d.ports)));
        }
        if (d.ttl != null || d.idle != null) {
            b.lifetime(new Lifetime(iso(d.ttl), iso(d.idle)));
        }
        EnvironmentSpec draftSpec = b.build();
        b.name(slug(d, draftSpec));
        b.notes(notes(assumed));
        EnvironmentSpec spec = b.build();

        List<String> warnings = new ArrayList<>(d.warnings);
        for (String w : resolution.warnings()) {
            if (!warnings.contains(w)) {
                warnings.add(w);
            }
        }
        List<Violation> violations = new ArrayList<>(gate.checkSpec(spec));
        violations.addAll(requestViolations);
        return new ComposeResult(spec, violations, warnings);
    }

    private static String describe(Os os) {
        String distro = os.distro() == null ? os.family() : os.distro();
        return Character.toUpperCase(distro.charAt(0)) + distro.substring(1)
                + (os.version() == null ? "" : " " + os.version());
    }

    private static String notes(List<String> assumed) {
        if (assumed.isEmpty()) {
            return null;
        }
        String s = "Assumed " + String.join("; ", assumed) + ".";
        s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return s.length() > 400 ? s.substring(0, 397) + "..." : s;
    }

    /** ISO-8601 with days when whole days, else hours, minutes and seconds. */
    static String iso(Duration d) {
        if (d == null) {
            return null;
        }
        long s = d.getSeconds();
        if (s > 0 && s % 86400 == 0) {
            return "P" + s / 86400 + "D";
        }
        StringBuilder b = new StringBuilder("PT");
        if (s >= 3600) {
            b.append(s / 3600).append('H');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('M');
        }
        if (s % 60 > 0 || s == 0) {
            b.append(s % 60).append('S');
        }
        return b.toString();
    }

    /** A DNS label from what was asked: purpose or software, distribution and version, desktop, "vm". */
    static String slug(Draft d, EnvironmentSpec spec) {
        Set<String> parts = new LinkedHashSet<>();
        if (d.purpose != null) {
            parts.add(d.purpose);
        }
        for (String l : d.labels) {
            if (parts.size() >= 2) {
                break;
            }
            parts.add(l);
        }
        if (d.distro != null) {
            parts.add(d.distro + (d.version == null ? "" : "-" + d.version));
        }
        if (d.desktop != null && d.desktop != Desktop.NONE && d.desktop != Desktop.WINDOWS) {
            parts.add(d.desktop.json());
        } else if (d.desktop == Desktop.NONE && parts.isEmpty()) {
            parts.add("shell");
        }
        if (spec.kind() == Kind.VM) {
            parts.add("vm");
        } else if (parts.isEmpty()) {
            parts.add("container");
        }
        String s = String.join("-", parts).toLowerCase(Locale.ROOT)
                .replace("c++", "cpp").replace("c#", "csharp").replace("+", "plus").replace("#", "sharp")
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40).replaceAll("-[^-]*$", "");
        }
        s = s.replaceAll("-+$", "");
        return s.isEmpty() ? "environment" : s;
    }
}
