package io.genos.orchestrator.libvirt;

import io.genos.orchestrator.BuildListener;
import io.genos.orchestrator.BuildProgress;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.spec.Desktop;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.PackageNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds VM images with packages installed, the way {@code debian-vm} itself is built: {@code vm-images/vm/build-debian
 * --id <name> --package <name>…} debootstraps a root tree, installs the packages in it with apt, and writes a
 * standalone qcow2 with {@code mkfs.ext4 -d} and {@code qemu-img convert}. Nothing is installed at first boot and the
 * guest needs no network.
 *
 * <p>The image is the directory {@code <imagesDir>/<start>+<hash>}, the hash being that of the start image's own
 * recipe (the file {@code recipe} build-debian writes: its script and kernel version) and the sorted package list, so
 * it is built once and reused by every later launch with the same packages; two launches that need it at the same
 * time wait on one build. The script moves the finished directory into place in one step and removes its work on
 * failure, so a directory that is there is complete.
 */
final class VmImageComposer {
    private static final Logger log = LoggerFactory.getLogger(VmImageComposer.class);

    /** Changes whenever the way derived images are built changes, so old ones are not taken for new ones. */
    private static final String RECIPE_VERSION = "genos-vm-packages-1";
    /** The images build-debian makes, by reference, with the options that make them. */
    private static final Map<String, List<String>> DERIVABLE = Map.of(
            "debian-vm", List.of(),
            "debian-xfce-vm", List.of("--xfce"));
    static final String SCRIPT = "vm-images/vm/build-debian";
    static final int MAX_LOG = 64 * 1024;
    private static final int MAX_LINE = 2000;
    private static final Pattern PROGRESS = Pattern.compile("genos-progress: (\\d{1,3}) (.*)");
    private static final Pattern STATUS = Pattern.compile("(dlstatus|pmstatus):[^:]*:([0-9.]+):.*");

    private record Build(CompletableFuture<String> image, List<BuildListener> listeners, StringBuilder logHolder) {}

    private final Path imagesDir;
    private final String scriptSetting;
    private final Duration timeout;
    private final Map<String, Build> building = new ConcurrentHashMap<>();

    VmImageComposer(Path imagesDir, String scriptSetting, Duration timeout) {
        this.imagesDir = imagesDir;
        this.scriptSetting = scriptSetting == null ? "" : scriptSetting.strip();
        this.timeout = timeout;
    }

    /**
     * The X session lightdm logs the VM's user in to, by desktop (Debian 12's {@code /usr/share/xsessions} names).
     */
    private static final Map<Desktop, String> X_SESSIONS = Map.of(Desktop.OPENBOX, "openbox", Desktop.XFCE, "xfce",
            Desktop.KDE, "plasma", Desktop.GNOME, "gnome-xorg", Desktop.MATE, "mate", Desktop.LXQT, "lxqt",
            Desktop.CINNAMON, "cinnamon2d");
    /** A container desktop's own display server: a VM's screen is QEMU's, its X server the guest's. */
    private static final List<String> CONTAINER_ONLY = List.of("tigervnc-standalone-server", "tigervnc-tools");

    /** Refuses what cannot be composed for VMs: only images build-debian makes take packages or a desktop. */
    static void check(Composition c) {
        CatalogImage start = c.start();
        if (!DERIVABLE.containsKey(start.reference())) {
            throw new InvalidRequestException((c.desktop() != null ? "a desktop" : "packages") + " cannot be added to "
                    + start.id() + "; ask for debian-vm");
        }
        if (c.desktop() != null && (!DERIVABLE.get(start.reference()).isEmpty() || !X_SESSIONS.containsKey(c.desktop()))) {
            throw new InvalidRequestException("the " + c.desktop().json().toUpperCase(java.util.Locale.ROOT)
                    + " desktop cannot be added to " + start.id() + "; ask for a Debian VM without a desktop");
        }
    }

    /** What a desktop VM's build adds: the X session, then the desktop's packages (without the container's VNC). */
    private static List<String> desktopArguments(Composition c) {
        if (c.desktop() == null) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("--desktop", X_SESSIONS.get(c.desktop())));
        for (String p : c.desktopLayer().packages()) {
            if (!CONTAINER_ONLY.contains(p)) {
                args.add("--package");
                args.add(p);
            }
        }
        return args;
    }

    /** The one image a VM composition builds, as a person reads it: "the KDE desktop and the package htop". */
    static String layerName(Composition c) {
        return String.join(" and ", c.layerNames());
    }

    /** The directory name of the image with the composition's packages (the start image's recipe must be there). */
    String reference(Composition c) {
        Path recipe = imagesDir.resolve(c.start().reference()).resolve("recipe");
        String base;
        try {
            base = Files.readString(recipe).strip();
        } catch (IOException e) {
            throw new RuntimeFailureException("the VM image " + c.start().reference() + " is not on this host (no "
                    + recipe + "): build it with ./genos images " + c.start().id());
        }
        List<String> desktop = desktopArguments(c);
        return c.start().reference() + "+" + hash(RECIPE_VERSION + "\n" + c.start().reference() + "\n" + base + "\n"
                + String.join(" ", c.packages()) + (desktop.isEmpty() ? "" : "\n" + String.join(" ", desktop)));
    }

    boolean built(String reference) {
        return Files.isRegularFile(imagesDir.resolve(reference).resolve(LibvirtRuntime.DISK));
    }

    /** The layer to build, by name, or nothing when the image is there. */
    List<String> missing(Composition c) {
        try {
            return built(reference(c)) ? List.of() : c.layerNames();
        } catch (RuntimeFailureException e) {
            return c.layerNames();
        }
    }

    /** The reference of the image with the composition's packages, built when missing (or waited for). */
    String compose(Composition c, BuildListener listener) {
        check(c);
        for (String p : c.packages()) {
            if (!PackageNames.valid(p)) {
                throw new InvalidRequestException("\"" + p + "\" is not a Debian package name; nothing was built");
            }
        }
        String layer = layerName(c);
        String reference = reference(c);
        if (built(reference)) {
            listener.layerReady(layer, reference, true, "");
            return reference;
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        Build build = new Build(mine, new CopyOnWriteArrayList<>(List.of(listener)), new StringBuilder());
        Build existing = building.putIfAbsent(reference, build);
        if (existing != null) {
            existing.listeners().add(listener);
            listener.progress(new BuildProgress(1, 1, layer, "being built by another launch", 0, 0, -1, Duration.ZERO));
            try {
                await(existing.image(), layer);
                listener.layerReady(layer, reference, false, logOf(existing));
                return reference;
            } catch (RuntimeException e) {
                listener.layerFailed(layer, logOf(existing));
                throw e;
            }
        }
        Output out = new Output(layer);
        try {
            if (built(reference)) { // finished between the first look and taking the build
                mine.complete(reference);
                listener.layerReady(layer, reference, true, "");
                return reference;
            }
            run(c, reference, out, build.listeners());
            VmImageCache.recordContents(imagesDir.resolve(reference), (c.desktop() == null ? ""
                    : c.desktop().json().toUpperCase(java.util.Locale.ROOT) + " desktop ") + String.join(" ", c.packages()));
            append(build, out.log());
            log.info("built the VM image {} ({}) in {} s", reference, layer, out.elapsed().toSeconds());
            mine.complete(reference);
            listener.layerReady(layer, reference, false, out.log());
            return reference;
        } catch (RuntimeException e) {
            append(build, out.log());
            log.info("building the VM image {} ({}) failed after {} s: {}", reference, layer,
                    out.elapsed().toSeconds(), e.getMessage());
            mine.completeExceptionally(e);
            listener.layerFailed(layer, out.log());
            throw e;
        } finally {
            building.remove(reference, build);
        }
    }

    private void run(Composition c, String reference, Output out, List<BuildListener> listeners) {
        Path script = script();
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(DERIVABLE.get(c.start().reference()));
        command.add("--id");
        command.add(reference);
        command.addAll(desktopArguments(c));
        for (String p : c.packages()) {
            command.add("--package");
            command.add(p);
        }
        command.add("--");
        command.add(imagesDir.toString());
        String what = "building " + out.layer;
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RuntimeFailureException(what + " failed: could not run " + script + ": " + e.getMessage(), e);
        }
        Thread watchdog = Thread.ofVirtual().name("genos-vm-build-watchdog").start(() -> {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    out.timedOut = true;
                    kill(process);
                }
            } catch (InterruptedException e) {
                kill(process);
            }
        });
        long[] lastNotice = {0};
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (out.line(line)) {
                    long now = System.nanoTime();
                    if (now - lastNotice[0] > 250_000_000L) {
                        lastNotice[0] = now;
                        BuildProgress p = out.progress();
                        listeners.forEach(l -> notify(l, p));
                    }
                }
            }
            int code = process.waitFor();
            if (out.timedOut) {
                throw new RuntimeFailureException(what + " took longer than " + timeout.toMinutes() + " minutes");
            }
            if (code != 0) {
                throw new RuntimeFailureException(what + " failed: " + out.reason());
            }
        } catch (IOException e) {
            kill(process);
            throw new RuntimeFailureException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("GenOS stopped while " + out.layer + " was being built");
        } finally {
            watchdog.interrupt();
            removeLeftovers(reference);
        }
        if (!built(reference)) {
            throw new RuntimeFailureException(what + " failed: " + script + " ended without making " + reference);
        }
    }

    /** Ends the build and what it runs (debootstrap, apt): TERM first so that the script cleans up, then KILL. */
    private static void kill(Process process) {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    /** What a killed script could not remove: its half-written output directory. */
    private void removeLeftovers(String reference) {
        Path tmp = imagesDir.resolve(reference + ".tmp");
        if (Files.exists(tmp)) {
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                log.warn("could not remove {}: {}", tmp, e.toString());
            }
        }
    }

    /** The build script: the setting, or vm-images/vm/build-debian in the working directory or its parent. */
    Path script() {
        if (!scriptSetting.isEmpty()) {
            Path p = Path.of(scriptSetting).toAbsolutePath();
            if (!Files.isExecutable(p)) {
                throw new RuntimeFailureException("the VM image build script " + p + " (genos.orchestrator.libvirt."
                        + "build-script) is not there or cannot be run");
            }
            return p;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir : Stream.of(cwd, cwd.getParent()).filter(java.util.Objects::nonNull).toList()) {
            Path p = dir.resolve(SCRIPT);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new RuntimeFailureException("cannot build VM images with packages: " + SCRIPT + " is not in " + cwd
                + " or its parent (set genos.orchestrator.libvirt.build-script)");
    }

    private static void notify(BuildListener listener, BuildProgress progress) {
        try {
            listener.progress(progress);
        } catch (RuntimeException e) {
            log.debug("a build listener failed: {}", e.toString());
        }
    }

    private String await(CompletableFuture<String> image, String layer) {
        try {
            return image.get(timeout.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeFailureException f ? f
                    : new RuntimeFailureException("building " + layer + " failed: " + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RuntimeFailureException("building " + layer + " took longer than " + timeout.toMinutes()
                    + " minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("GenOS stopped while " + layer + " was being built");
        }
    }

    private static void append(Build build, String text) {
        synchronized (build.logHolder()) {
            build.logHolder().append(text);
        }
    }

    private static String logOf(Build build) {
        synchronized (build.logHolder()) {
            return build.logHolder().toString();
        }
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the script's output line by line: its progress lines ({@code genos-progress: <percent> <what>}), apt's
     * status lines (downloading 55-65 %, installing 65-80 %), apt's errors ({@code E:}); keeps a bounded tail.
     */
    static final class Output {
        final String layer;
        private final long startNanos = System.nanoTime();
        private final Deque<String> log = new ArrayDeque<>();
        private final List<String> errors = new ArrayList<>();
        private int logChars;
        private String phase = "starting";
        private int percent = 0;
        volatile boolean timedOut;

        Output(String layer) {
            this.layer = layer;
        }

        /** Takes one line; returns true when the progress changed. */
        boolean line(String raw) {
            String line = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) + "…" : raw;
            String before = phase + percent;
            Matcher p = PROGRESS.matcher(line);
            Matcher s = STATUS.matcher(line);
            if (p.matches()) {
                percent = Math.min(100, Integer.parseInt(p.group(1)));
                phase = p.group(2).strip();
            } else if (s.matches()) {
                boolean download = s.group(1).equals("dlstatus");
                double pct = Math.min(100, Double.parseDouble(s.group(2)));
                phase = download ? "downloading packages" : "installing packages";
                percent = download ? 55 + (int) (pct / 10) : 65 + (int) (pct * 15 / 100);
            } else {
                keep(line);
                if (line.startsWith("E:")) {
                    errors.add(line.substring(2).strip());
                }
            }
            return !before.equals(phase + percent);
        }

        private void keep(String line) {
            log.addLast(line);
            logChars += line.length() + 1;
            while (logChars > MAX_LOG && log.size() > 1) {
                logChars -= log.removeFirst().length() + 1;
            }
        }

        BuildProgress progress() {
            return new BuildProgress(1, 1, layer, phase, 0, 0, percent, elapsed());
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        /** apt's own words when it gave any, else the script's last lines. */
        String reason() {
            if (!errors.isEmpty()) {
                return String.join("; ", errors.stream().distinct().toList());
            }
            List<String> tail = new ArrayList<>(log);
            List<String> last = tail.subList(Math.max(0, tail.size() - 3), tail.size());
            return last.isEmpty() ? "the build script said nothing" : String.join(" / ", last).strip();
        }

        String log() {
            return String.join("\n", log) + (log.isEmpty() ? "" : "\n");
        }
    }
}
