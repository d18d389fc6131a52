package io.genos.orchestrator.docker;

import io.genos.orchestrator.BuildProgress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of an apt-get run with {@code -o APT::Status-Fd=3} (fd 3 joined to the output: apt on fd 1 breaks the maintainer scripts that print), line by line: what it does, how many packages,
 * its percentages, and the errors it gives. Keeps a bounded tail of the log. Not thread-safe: one reader per build.
 */
final class AptProgress {

    /** Most characters of one line kept (apt's lines are short; a hostile or broken one is cut). */
    static final int MAX_LINE = 2000;
    /** Most characters of log kept for the history. */
    static final int MAX_LOG = 64 * 1024;

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) upgraded, (\\d+) newly installed.*");
    private static final Pattern STATUS = Pattern.compile("(dlstatus|pmstatus):[^:]*:([0-9.]+):.*");
    private static final Pattern DL_FILE = Pattern.compile("dlstatus:(\\d+):.*");

    private final int layer;
    private final int layers;
    private final String layerName;
    private final long startNanos = System.nanoTime();
    private final Deque<String> log = new ArrayDeque<>();
    private final List<String> errors = new ArrayList<>();
    private int logChars;
    private String phase = "starting";
    private int total;
    private int downloaded;
    private int setUp;
    private int percent = -1;

    AptProgress(int layer, int layers, String layerName) {
        this.layer = layer;
        this.layers = layers;
        this.layerName = layerName;
    }

    /** Takes one line; returns true when the progress a person sees changed. */
    boolean line(String raw) {
        String line = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) + "…" : raw;
        String before = phase + total + '/' + downloaded + '/' + setUp + '/' + percent;
        Matcher status = STATUS.matcher(line);
        if (status.matches()) {
            boolean download = status.group(1).equals("dlstatus");
            phase = download ? "downloading" : "installing";
            percent = (int) Math.min(100, Double.parseDouble(status.group(2)));
            if (download) {
                Matcher f = DL_FILE.matcher(line);
                if (f.matches()) {
                    downloaded = Math.max(downloaded, Integer.parseInt(f.group(1)));
                }
            }
            return !before.equals(phase + total + '/' + downloaded + '/' + setUp + '/' + percent);
        }
        keep(line);
        if (line.startsWith("genos: ")) {
            phase = line.substring(7).strip();
            percent = -1;
        } else if (line.startsWith("E: ") || line.startsWith("dpkg: error")) {
            if (errors.size() < 10) {
                errors.add(line);
            }
        } else if (line.startsWith("Setting up ")) {
            setUp++;
        } else {
            Matcher m = SUMMARY.matcher(line);
            if (m.matches()) {
                total = Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2));
            }
        }
        return !before.equals(phase + total + '/' + downloaded + '/' + setUp + '/' + percent);
    }

    private void keep(String line) {
        log.addLast(line);
        logChars += line.length() + 1;
        while (logChars > MAX_LOG && log.size() > 1) {
            logChars -= log.removeFirst().length() + 1;
        }
    }

    void phase(String p) {
        phase = p;
        percent = -1;
    }

    BuildProgress progress() {
        int done = phase.equals("downloading") ? downloaded : setUp;
        return new BuildProgress(layer, layers, layerName, phase, Math.min(done, Math.max(total, done)), total,
                percent, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    String log() {
        return String.join("\n", log);
    }

    /** Why a build failed, in apt's words where it gave any, else the last lines of the log. */
    String reason() {
        if (!errors.isEmpty()) {
            return String.join(" ", errors);
        }
        List<String> lines = new ArrayList<>(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
