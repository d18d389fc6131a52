package io.genos.composer.internal;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one turn and applies it to the {@link Draft}. Each area reads in turn and marks the tokens it used, so that
 * a version is not read again as a count, a port not as memory: hosts, resolutions, operating systems, ports,
 * durations, quantities (memory, disk, CPUs, GPUs and relative changes), kind, desktop, streaming, network, software.
 */
public final class TurnReader {

    private enum Res { MEMORY, DISK, CPU, GPU }

    private final List<Token> t;
    private final Draft d;
    private final Software software;
    private final Resources defaults;
    private final boolean[] softwareAt;
    private final Set<String> imageIds;

    private boolean memorySetHere;
    private Desktop desktopHere;
    private int desktopStrengthHere;
    private boolean genericDesktopHere;
    private Kind kindHere;
    private String impliedVmHere;
    private boolean allowlistHere;

    private TurnReader(List<Token> tokens, Draft draft, Software software, Resources defaults, Set<String> imageIds) {
        this.t = tokens;
        this.imageIds = imageIds;
        this.d = draft;
        this.software = software;
        this.defaults = defaults;
        this.softwareAt = new boolean[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            Software.Match m = software.match(tokens, i);
            if (m != null) {
                for (int k = 0; k < m.length(); k++) {
                    softwareAt[i + k] = true;
                }
            }
        }
    }

    /**
     * Reads {@code turn} into {@code draft}.
     *
     * @param defaults the resources relative changes start from when the draft has none ("more CPUs")
     * @param imageIds the catalog's image ids, which a user may name ("debian-openbox")
     */
    public static void read(String turn, Draft draft, Software software, Resources defaults, Set<String> imageIds) {
        List<Token> tokens = Tokenizer.tokenize(turn, w -> imageIds.contains(w) || software.knowsHyphenated(w));
        new TurnReader(tokens, draft, software, defaults, imageIds).read();
    }

    private boolean question;
    private boolean requestVerb;

    private void read() {
        d.turn++;
        int before = d.strongSignals + d.weakSignals + d.envNouns;
        signals();
        namedImage();
        hosts();
        resolutions();
        operatingSystems();
        ports();
        durations();
        quantities();
        relativeChanges();
        gpuWords();
        kind();
        streaming();
        desktop();
        network();
        packages();
        applyKind();
        applyDesktop();
        if (d.strongSignals + d.weakSignals + d.envNouns > before && (!question || requestVerb)) {
            d.requestTurns++;
        }
    }

    // ---------------------------------------------------------------- helpers

    private String w(int i) {
        return i >= 0 && i < t.size() ? t.get(i).text : "";
    }

    private boolean free(int i) {
        return i >= 0 && i < t.size() && !t.get(i).used;
    }

    private void use(int from, int to) {
        for (int i = Math.max(0, from); i < Math.min(to, t.size()); i++) {
            t.get(i).used = true;
        }
    }

    /** Whether the word at {@code i} is negated by a word shortly before it in the same clause. */
    private boolean negated(int i) {
        for (int j = i - 1, seen = 0; j >= 0 && seen < 6; j--, seen++) {
            Token x = t.get(j);
            if (x.isSentenceEnd() || x.text.equals(",")) {
                return false;
            }
            if (Words.RESETS.contains(x.text)) {
                return false;
            }
            if (Words.NEGATORS.contains(x.text)) {
                return true;
            }
            if (x.text.equals("of") && (w(j - 1).equals("instead") || w(j - 1).equals("rid")
                    || w(j - 1).equals("free"))) {
                return true;
            }
            if (x.text.equals("than") && w(j - 1).equals("rather")) {
                return true;
            }
            if (x.text.equals("out") && (w(j - 1).equals("take") || w(j - 1).equals("leave"))) {
                return true;
            }
            if (!Words.NEGATION_GAP.contains(x.text) && !softwareAt[j]) {
                return false;
            }
        }
        return false;
    }

    /** Whether a word follows "no"/"not"/... or is followed by "off", "disabled", "none". */
    private boolean negatedOrOff(int i) {
        if (negated(i)) {
            return true;
        }
        for (int k = i + 1; k < Math.min(t.size(), i + 4); k++) {
            if (t.get(k).isSentenceEnd() || t.get(k).text.equals(",")) {
                return false;
            }
            if (Set.of("none", "off", "disabled", "blocked", "denied", "forbidden", "cut", "no", "isolated")
                    .contains(w(k))) {
                return true;
            }
        }
        return false;
    }

    private int sentenceStart(int i) {
        int j = i;
        while (j > 0 && !t.get(j - 1).isSentenceEnd()) {
            j--;
        }
        return j;
    }

    // ---------------------------------------------------------------- signals

    private void signals() {
        for (int i = 0; i < t.size(); i++) {
            Token x = t.get(i);
            if (Words.ENV_NOUNS.contains(x.text)) {
                d.envNouns++;
            }
            // "give me", "I need", "can you set up", "possible to get": a verb someone asks with
            if (Words.REQUEST_VERBS.contains(x.text) && (Set.of("i", "you", "we", "to", "please", "i'd", "me", "pls")
                    .contains(w(i - 1)) || Set.of("i", "you", "we").contains(w(i - 2))
                    || Set.of("me", "us", "up").contains(w(i + 1)) || i == 0)) {
                requestVerb = true;
            }
        }
        if (t.isEmpty()) {
            return;
        }
        String first = t.getFirst().text;
        boolean polite = Set.of("can", "could", "would", "may", "will", "please", "i", "i'd").contains(first)
                || (first.equals("how") || first.equals("what")) && w(1).equals("about");
        if (!polite && (Words.QUESTION_WORDS.contains(first) || t.getLast().text.equals("?"))) {
            question = true;
        }
    }

    private void namedImage() {
        boolean named = false;
        for (int i = 0; i < t.size(); i++) {
            Token x = t.get(i);
            if (x.isWord() && imageIds.contains(x.text)) {
                d.image = x.text;
                d.strongSignals++;
                x.used = true;
                named = true;
            }
        }
        if (!named) {
            describedImage();
        }
    }

    /**
     * An image described by every part of its id, in any order, within one turn: "a tiny Debian VM" names
     * debian-tiny-vm. Only ids of three or more parts count (two, like debian-xfce, are what the other rules already
     * read as distribution and desktop), the most specific wins, a tie names none; the words stay free for the other
     * rules (distribution, kind).
     */
    private void describedImage() {
        Set<String> words = new java.util.HashSet<>();
        for (Token x : t) {
            if (x.isWord() && !x.used) {
                words.add(x.text);
            }
        }
        String best = null;
        int bestParts = 0;
        boolean tie = false;
        for (String id : imageIds) {
            String[] parts = id.split("-");
            if (parts.length < 3 || !words.containsAll(List.of(parts))) {
                continue;
            }
            if (parts.length > bestParts) {
                best = id;
                bestParts = parts.length;
                tie = false;
            } else if (parts.length == bestParts) {
                tie = true;
            }
        }
        if (best != null && !tie) {
            d.image = best;
        }
    }

    // ---------------------------------------------------------------- network allowlist

    private void hosts() {
        List<String> hosts = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        int cueAt = -1;
        for (int i = 0; i < t.size(); i++) {
            Token x = t.get(i);
            if (Words.ALLOW_CUES.contains(x.text)) {
                cueAt = cueAt < 0 ? i : cueAt;
            }
            if (x.type == Token.Type.HOST && !(software.match(t, i) != null && cueAt < 0)) {
                hosts.add(x.text);
                at.add(i);
            } else if (x.isWord() && cueAt >= 0 && sentenceStart(i) <= cueAt) {
                String service = Words.SERVICE_HOSTS.get(x.text);
                String next = w(i + 1);
                boolean needsNext = Set.of("debian", "ubuntu", "maven", "npm").contains(x.text);
                boolean nextOk = Set.of("mirror", "mirrors", "repo", "repos", "repository", "repositories", "archive",
                        "registry", "central", "packages").contains(next);
                if (x.text.equals("docker") && next.equals("hub")) {
                    service = "registry-1.docker.io";
                    t.get(i + 1).used = true;
                } else if (x.text.equals("hugging") && next.equals("face")) {
                    service = "huggingface.co";
                    t.get(i + 1).used = true;
                } else if (service != null && needsNext && !nextOk) {
                    service = null;
                }
                if (service != null) {
                    hosts.add(service);
                    at.add(i);
                }
            }
        }
        if (hosts.isEmpty() || cueAt < 0) {
            return;
        }
        for (int i : at) {
            t.get(i).used = true;
        }
        if (d.egress != Network.Egress.ALLOWLIST) {
            d.allow.clear();
        }
        d.egress = Network.Egress.ALLOWLIST;
        d.allow.addAll(hosts);
        allowlistHere = true;
        d.weakSignals++;
    }

    // ---------------------------------------------------------------- resolution

    private static final Map<Integer, int[]> P_NAMES = Map.of(480, new int[] {854, 480}, 720, new int[] {1280, 720},
            1080, new int[] {1920, 1080}, 1440, new int[] {2560, 1440}, 2160, new int[] {3840, 2160},
            4320, new int[] {7680, 4320});
    private static final Map<Integer, int[]> K_NAMES = Map.of(2, new int[] {2560, 1440}, 4, new int[] {3840, 2160},
            5, new int[] {5120, 2880}, 8, new int[] {7680, 4320});
    private static final Map<String, int[]> RES_WORDS = Map.of("fhd", new int[] {1920, 1080},
            "fullhd", new int[] {1920, 1080}, "uhd", new int[] {3840, 2160}, "qhd", new int[] {2560, 1440},
            "wqhd", new int[] {2560, 1440}, "ultrawide", new int[] {3440, 1440}, "hd", new int[] {1280, 720},
            "xga", new int[] {1024, 768}, "svga", new int[] {800, 600}, "wuxga", new int[] {1920, 1200});

    private void resolutions() {
        for (int i = 0; i < t.size(); i++) {
            Token x = t.get(i);
            if (x.used) {
                continue;
            }
            int[] wh = null;
            int len = 1;
            if (x.type == Token.Type.RESOLUTION) {
                wh = new int[] {x.width, x.height};
            } else if (x.isNumber() && i + 1 < t.size() && t.get(i + 1).start == x.end) {
                String unit = w(i + 1);
                if (unit.equals("p")) {
                    wh = P_NAMES.get((int) x.value);
                } else if (unit.equals("k") && !Words.MEMORY.contains(w(i + 2)) && !Words.DISK.contains(w(i + 2))) {
                    wh = K_NAMES.get((int) x.value);
                }
                len = 2;
            } else if (x.is("full") && (w(i + 1).equals("hd") || w(i + 1).equals("hd+"))) {
                wh = new int[] {1920, 1080};
                len = 2;
            } else if (x.isWord() && RES_WORDS.containsKey(x.text)) {
                wh = RES_WORDS.get(x.text);
            }
            if (wh != null) {
                d.width = wh[0];
                d.height = wh[1];
                use(i, i + len);
                hintDesktop(null, 1);
                d.strongSignals++;
            }
        }
    }

    // ---------------------------------------------------------------- operating system

    private void operatingSystems() {
        Distros.Distro chosen = null;
        String version = null;
        for (int i = 0; i < t.size(); i++) {
            if (!free(i) || !t.get(i).isWord()) {
                continue;
            }
            Distros.Release code = Distros.CODE_NAMES.get(w(i));
            if (code != null) {
                if (negated(i)) {
                    continue;
                }
                chosen = new Distros.Distro(Distros.familyOf(code.distro()), code.distro(), null);
                version = code.version();
                t.get(i).used = true;
                continue;
            }
            if (w(i).equals("macos") || w(i).equals("osx") || (w(i).equals("mac") && w(i + 1).equals("os"))) {
                d.warn("macOS cannot be provisioned by GenOS; choose Linux, Windows or BSD");
                d.strongSignals++;
                t.get(i).used = true;
                continue;
            }
            for (var e : Distros.ALIASES) {
                List<String> words = e.getKey();
                if (!matchesWords(i, words)) {
                    continue;
                }
                int end = i + words.size();
                if (words.size() == 1 && Distros.AMBIGUOUS.contains(words.getFirst()) && !ambiguousDistroOk(i)) {
                    break;
                }
                if (words.getFirst().equals("windows") && i > 0 && (t.get(i - 1).isNumber()
                        || NumberWords.read(t, i - 1) != null && !w(i - 1).equals("a"))) {
                    break; // "two windows"
                }
                if (negated(i) || w(i - 1).equals("from")) {
                    use(i, end);
                    break;
                }
                Distros.Distro dist = e.getValue();
                String v = null;
                int j = end;
                List<Integer> skippedKeep = new ArrayList<>();
                while (Set.of("linux", "server", "version", "v", "release", "edition", "os", "pro", "home", "gnu", "/",
                        "enterprise", "leap", "stream", "desktop", "workstation", "lts").contains(w(j)) && free(j)) {
                    if (w(j).equals("server") && "windows".equals(dist.distro())) {
                        d.windowsServer = true;
                    }
                    if (Set.of("desktop", "workstation", "server").contains(w(j))) {
                        skippedKeep.add(j);
                    }
                    j++;
                }
                if (!(j < t.size() && t.get(j).isNumber() && free(j)) && !skippedKeep.isEmpty()) {
                    j = skippedKeep.getFirst(); // no version after "ubuntu desktop": leave "desktop" to the desktop reader
                    skippedKeep.clear();
                }
                if (words.size() == 2 && words.get(1).equals("server")) {
                    d.windowsServer = true;
                }
                if (j < t.size() && t.get(j).isNumber() && free(j)) {
                    v = versionText(dist.distro(), t.get(j));
                    j++;
                } else if ("ubuntu".equals(dist.distro()) && w(j).equals("lts")) {
                    v = Distros.UBUNTU_LTS;
                    d.note("Ubuntu " + Distros.UBUNTU_LTS + ", the newest LTS");
                    j++;
                } else if ("debian".equals(dist.distro()) && Distros.DEBIAN_SUITES.containsKey(w(j))) {
                    v = Distros.DEBIAN_SUITES.get(w(j));
                    j++;
                } else if (Distros.CODE_NAMES.containsKey(w(j))
                        && Distros.CODE_NAMES.get(w(j)).distro().equals(dist.distro())) {
                    v = Distros.CODE_NAMES.get(w(j)).version();
                    j++;
                }
                if (w(j).equals("lts")) {
                    j++;
                }
                use(i, j);
                for (int keep : skippedKeep) {
                    t.get(keep).used = false;
                }
                if (dist.distro() == null && (chosen != null || d.distro != null)) {
                    break; // "linux" next to a distribution adds nothing
                }
                chosen = dist;
                version = v;
                if (dist.desktop() != null) {
                    hintDesktop(Desktop.fromJson(dist.desktop()), 3);
                }
                break;
            }
        }
        if (chosen == null) {
            return;
        }
        d.strongSignals++;
        if (chosen.distro() == null) {
            if (d.family == null) {
                d.family = chosen.family();
            }
            return;
        }
        if (!chosen.distro().equals(d.distro)) {
            d.version = version;
        } else if (version != null) {
            d.version = version;
        }
        d.distro = chosen.distro();
        d.family = chosen.family();
        if (!d.family.equals("linux")) {
            d.kind = Kind.VM;
            d.kindStrength = 3;
        } else if (d.kindStrength == 3) {
            d.kindStrength = 2;
        }
    }

    private boolean matchesWords(int i, List<String> words) {
        for (int k = 0; k < words.size(); k++) {
            if (i + k >= t.size() || !free(i + k) || !t.get(i + k).text.equals(words.get(k))) {
                return false;
            }
        }
        return true;
    }

    private boolean ambiguousDistroOk(int i) {
        String prev = w(i - 1);
        String next = w(i + 1);
        if (w(i).equals("win")) {
            return i + 1 < t.size() && t.get(i + 1).isNumber();
        }
        if (Set.of("cpu", "x86", "arm", "arm64", "amd64", "target", "the", "to", "my").contains(prev)) {
            return false;
        }
        return i + 1 < t.size() && t.get(i + 1).isNumber() || i == 0
                || Set.of("a", "an", "on", "running", "with", "use", "using", ",", "and", "or", "want", "need", "me",
                        "of", "latest", "recent", "based").contains(prev)
                || Set.of("box", "vm", "machine", "container", "desktop", "server", "image", "instance", ",", "with",
                        "and", "workstation", "environment", "install", "system", "host").contains(next);
    }

    private static String versionText(String distro, Token v) {
        String s = v.text;
        if ("ubuntu".equals(distro) && v.isIntegral() && v.value >= 14 && v.value < 100) {
            int year = (int) v.value;
            return year + (year % 2 == 0 ? ".04" : ".10");
        }
        return s;
    }

    // ---------------------------------------------------------------- ports

    private static final Set<String> PORT_KEYS = Words.set("port", "ports", "expose", "exposed", "exposing", "forward",
            "forwarding", "forwarded", "publish", "published", "open", "opened", "listen", "listening", "reachable",
            "accessible");
    private static final Set<String> PORT_GAP = Words.set("port", "ports", "and", ",", "&", "/", "tcp", "udp", "on",
            "to", "the", "number", "numbers", "both", "plus", "+", "or", ":", "also", "at", "up");

    private void ports() {
        for (int i = 0; i < t.size(); i++) {
            if (!PORT_KEYS.contains(w(i)) || !free(i)) {
                continue;
            }
            int j = i + 1;
            boolean any = false;
            while (j < t.size()) {
                Token x = t.get(j);
                String after = w(j + 1);
                if (x.isNumber() && x.isIntegral() && free(j) && x.value >= 1 && x.value <= 65535
                        && !Words.SIZE_UNITS.containsKey(after) && !Words.TIME_UNITS.containsKey(after)
                        && !Words.CPU.contains(after) && !Words.GPU.contains(after) && !Words.MEMORY.contains(after)
                        && !Words.DISK.contains(after) && !Words.COUNT_ADJECTIVES.contains(after)
                        && !Words.MORE.contains(after)) {
                    d.ports.add((int) x.value);
                    x.used = true;
                    any = true;
                } else if (!PORT_GAP.contains(x.text)) {
                    break;
                }
                j++;
            }
            if (!any && (w(i).startsWith("expose") || w(i).startsWith("forward") || w(i).startsWith("publish"))) {
                int k = i + 1;
                while (Set.of("the", "its", "a", "my").contains(w(k))) {
                    k++;
                }
                Integer known = Words.SERVICE_PORTS.get(w(k));
                if (known != null) {
                    d.ports.add(known);
                    d.note("port " + known + " for " + w(k));
                    any = true;
                }
            }
            if (any) {
                t.get(i).used = true;
                d.weakSignals++;
            }
        }
        for (int i = 0; i + 1 < t.size(); i++) {
            Token x = t.get(i);
            if (x.isNumber() && x.isIntegral() && free(i) && x.value >= 1 && x.value <= 65535
                    && Set.of("exposed", "open", "opened", "forwarded", "published").contains(w(i + 1))) {
                d.ports.add((int) x.value);
                use(i, i + 2);
                d.weakSignals++;
            }
        }
    }

    // ---------------------------------------------------------------- durations

    private record Span(int at, Duration duration) {}

    private void durations() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            Span s = durationAt(i);
            if (s != null) {
                spans.add(s);
            } else {
                Duration phrase = durationPhrase(i);
                if (phrase != null) {
                    spans.add(new Span(i, phrase));
                }
            }
        }
        if (spans.isEmpty()) {
            return;
        }
        boolean[] idle = new boolean[spans.size()];
        for (int c = 0; c < t.size(); c++) {
            boolean cue = Words.IDLE_CUES.contains(w(c)) || w(c).equals("activity") && negated(c)
                    || w(c).equals("use") && w(c - 1).equals("in") && w(c - 2).equals("not");
            if (!cue) {
                continue;
            }
            int best = -1;
            int bestDist = 8;
            for (int k = 0; k < spans.size(); k++) {
                int a = spans.get(k).at();
                int dist = Math.abs(a - c);
                if (dist < bestDist && !crossesBoundary(Math.min(a, c), Math.max(a, c))) {
                    best = k;
                    bestDist = dist;
                }
            }
            if (best >= 0) {
                idle[best] = true;
            }
        }
        for (int k = 0; k < spans.size(); k++) {
            if (idle[k]) {
                d.idle = spans.get(k).duration();
            } else {
                d.ttl = spans.get(k).duration();
            }
        }
        d.weakSignals++;
    }

    private boolean crossesBoundary(int from, int to) {
        for (int k = from; k < to; k++) {
            if (t.get(k).isSentenceEnd() || t.get(k).text.equals(",")) {
                return true;
            }
        }
        return false;
    }

    private Span durationAt(int i) {
        NumberWords.Read r = NumberWords.read(t, i);
        if (r == null) {
            return null;
        }
        int j = i + r.length();
        Long unit = Words.TIME_UNITS.get(w(j));
        if (unit == null || !free(j)) {
            return null;
        }
        if (w(j).equals("m") && (r.value() > 180 || Words.MEMORY.contains(w(j + 1)) || Words.DISK.contains(w(j + 1)))) {
            return null;
        }
        if (unit.equals(1L) && !t.get(j).isWord()) {
            return null;
        }
        if ((w(j).equals("night") || w(j).equals("nights")) && r.article() && !w(i - 1).equals("for")) {
            return null;
        }
        double seconds = r.value() * unit;
        int end = j + 1;
        if (w(end).equals("and") && w(end + 1).equals("a") && w(end + 2).equals("half")) {
            seconds += unit / 2.0;
            end += 3;
        }
        // "1 hour 30 minutes", "1h30m", "2 days and 12 hours"
        int k = w(end).equals("and") ? end + 1 : end;
        NumberWords.Read r2 = NumberWords.read(t, k);
        if (r2 != null && !r2.article()) {
            Long unit2 = Words.TIME_UNITS.get(w(k + r2.length()));
            if (unit2 != null && unit2 < unit) {
                seconds += r2.value() * unit2;
                end = k + r2.length() + 1;
            }
        }
        use(i, end);
        return new Span(i, Duration.ofSeconds(Math.round(seconds)));
    }

    private Duration durationPhrase(int i) {
        String a = w(i);
        String b = w(i + 1);
        String c = w(i + 2);
        String e = w(i + 3);
        if ((a.equals("rest") || a.equals("end")) && b.equals("of") && (c.equals("the") && e.equals("day")
                || c.equals("day"))) {
            use(i, i + (c.equals("the") ? 4 : 3));
            d.note("8 hours for 'the " + a + " of the day'");
            return Duration.ofHours(8);
        }
        if (a.equals("eod")) {
            t.get(i).used = true;
            d.note("8 hours for 'end of day'");
            return Duration.ofHours(8);
        }
        if ((a.equals("until") || a.equals("till") || a.equals("til")) && b.equals("tomorrow")) {
            use(i, i + 2);
            d.note("one day for 'until tomorrow'");
            return Duration.ofDays(1);
        }
        if (a.equals("overnight") || a.equals("tonight")) {
            t.get(i).used = true;
            d.note("12 hours for '" + a + "'");
            return Duration.ofHours(12);
        }
        if ((a.equals("the") || a.equals("this")) && (b.equals("weekend"))) {
            use(i, i + 2);
            d.note("2 days for 'the weekend'");
            return Duration.ofDays(2);
        }
        if (a.equals("for") && (b.equals("the") || b.equals("this")) && (c.equals("afternoon") || c.equals("morning")
                || c.equals("evening"))) {
            use(i, i + 3);
            d.note("4 hours for 'the " + c + "'");
            return Duration.ofHours(4);
        }
        if (a.equals("for") && (b.equals("the") || b.equals("this")) && c.equals("week")) {
            use(i, i + 3);
            return Duration.ofDays(7);
        }
        return null;
    }

    // ---------------------------------------------------------------- quantities

    private void quantities() {
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            NumberWords.Read r = NumberWords.read(t, i);
            if (r == null) {
                continue;
            }
            int j = i + r.length();
            boolean relative = Words.MORE.contains(w(i - 1)) && !w(i - 1).equals("more")
                    || w(i - 1).equals("by") && increaseVerbBefore(i - 1) != 0;
            int sign = w(i - 1).equals("by") ? increaseVerbBefore(i - 1) : 1;
            if (Words.MORE.contains(w(j)) && Words.SIZE_UNITS.containsKey(w(j + 1))) {
                relative = true; // "2 more GB of RAM"
                t.get(j).used = true;
                j++;
            }
            Double factor = free(j) ? Words.SIZE_UNITS.get(w(j)) : null;
            if (factor != null && !(w(j).equals("t") && !t.get(j).isWord())) {
                if (w(j).equals("m") && r.article()) {
                    continue;
                }
                Res res = bindSize(i, j + 1);
                if (Words.MORE.contains(w(j + 1))) {
                    relative = true;
                }
                use(i, j + 1);
                double mib = r.value() * factor;
                if (res == null) {
                    res = mib >= 256 * 1024 || memorySetHere ? Res.DISK : Res.MEMORY;
                }
                if ((res == Res.MEMORY ? Math.round(mib) : Math.ceil(mib / 1024 - 1e-9)) <= 0 && !relative) {
                    d.warn("a size of " + t.get(i).text + " " + w(j) + " was ignored");
                    continue;
                }
                if (res == Res.MEMORY) {
                    int v = clampInt(Math.round(mib));
                    d.memoryMiB = relative ? Math.max(1, base(Res.MEMORY) + sign * v) : v;
                    memorySetHere = true;
                } else {
                    int v = clampInt((long) Math.ceil(mib / 1024 - 1e-9));
                    d.diskGiB = relative ? Math.max(1, base(Res.DISK) + sign * v) : v;
                }
                d.lastResource = res.name();
                d.strongSignals++;
                continue;
            }
            // a count: "4 cores", "quad-core", "2 nvidia GPUs", "8 more vCPUs"
            int k = j;
            int skipped = 0;
            if (w(k).equals("x") && t.get(k - 1).end == t.get(k).start) {
                k++; // "2x GPU", "4x A100"
            }
            while (skipped < 2 && free(k) && !(Words.CPU.contains(w(k)) && !Words.CPU.contains(w(k + 1)))
                    && (Words.COUNT_ADJECTIVES.contains(w(k)) || Words.MORE.contains(w(k))
                    || w(k).matches("[ahlvt]\\d{2,3}|\\d{4}"))) {
                if (Words.MORE.contains(w(k))) {
                    relative = true;
                }
                k++;
                skipped++;
            }
            Res res = null;
            if (free(k) && Words.CPU.contains(w(k))) {
                res = Res.CPU;
            } else if (free(k) && Words.GPU.contains(w(k))) {
                res = Res.GPU;
            } else if (w(k).equals("graphics") && (w(k + 1).equals("card") || w(k + 1).equals("cards"))) {
                res = Res.GPU;
                k++;
            }
            if (res == null && !r.article() && r.length() == 1 && t.get(i).isNumber()) {
                res = countNounBefore(i);
                k = i;
                if (res == null && d.lastResource != null && isShortRefinement() && t.get(i).isIntegral()) {
                    res = Res.valueOf(d.lastResource); // "with 4 cpus" then "actually 6"
                    d.note("'" + t.get(i).text + "' is " + res.name().toLowerCase(Locale.ROOT)
                            + ", the quantity changed last");
                }
            }
            if (res == null || (r.article() && skipped > 0 && !Words.GPU.contains(w(k)))) {
                continue;
            }
            if (w(i - 1).equals("no") || w(i - 1).equals("zero")) {
                continue;
            }
            use(i, Math.max(k + 1, j));
            int v = clampInt(Math.round(r.value()));
            if (v <= 0 && res != Res.GPU && !relative) {
                d.warn("a count of " + t.get(i).text + " " + res.name().toLowerCase(Locale.ROOT) + "s was ignored");
                continue;
            }
            if (r.value() != Math.rint(r.value())) {
                d.warn("read " + r.value() + " " + res.name().toLowerCase(Locale.ROOT) + "s as " + v);
            }
            switch (res) {
                case CPU -> d.cpus = relative ? base(Res.CPU) + sign * v : v;
                case GPU -> d.gpus = relative ? (d.gpus == null ? 0 : d.gpus) + sign * v : v;
                case MEMORY -> {
                    int mib = v <= 1024 ? v * 1024 : v;
                    d.memoryMiB = relative ? base(Res.MEMORY) + sign * mib : mib;
                    d.note("GB for memory given without a unit".replace("GB", v <= 1024 ? "GB" : "MB"));
                }
                case DISK -> d.diskGiB = relative ? base(Res.DISK) + sign * v : v;
            }
            d.lastResource = res.name();
            d.strongSignals++;
        }
    }

    /** A later turn of a few words, with no noun a number could belong to: "actually 6", "no, 8 please". */
    private boolean isShortRefinement() {
        int words = 0;
        for (Token x : t) {
            if (x.isWord() && !x.used) {
                words++;
            }
        }
        return words <= 4;
    }

    /** +1 when an increase verb precedes "by", -1 for a decrease verb, 0 for none. */
    private int increaseVerbBefore(int by) {
        for (int j = by - 1; j >= Math.max(0, by - 5); j--) {
            String x = w(j);
            if (Set.of("increase", "raise", "bump", "grow", "boost", "up", "expand", "extend", "add").contains(x)) {
                return 1;
            }
            if (Set.of("decrease", "reduce", "lower", "shrink", "cut", "drop", "down", "trim").contains(x)) {
                return -1;
            }
        }
        return 0;
    }

    private static int clampInt(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    /** Memory or disk noun right after the size ("8 GB RAM", "50 GB of disk"), or before it ("RAM: 8 GB"). */
    private Res bindSize(int start, int after) {
        for (int k = after, n = 0; k < t.size() && n < 4; k++, n++) {
            Token x = t.get(k);
            if (x.isPunct() || x.isNumber()) {
                break;
            }
            Res r = sizeNoun(k);
            if (r != null) {
                return r;
            }
            if (!Words.SIZE_RIGHT_FILLERS.contains(x.text) && !Words.MORE.contains(x.text)) {
                break;
            }
        }
        for (int k = start - 1, n = 0; k >= 0 && n < 5; k--, n++) {
            Token x = t.get(k);
            if (x.isNumber() || x.isSentenceEnd() || x.text.equals(",")) {
                break;
            }
            Res r = sizeNoun(k);
            if (r != null) {
                return r;
            }
            if (!Words.LEFT_FILLERS.contains(x.text)) {
                break;
            }
        }
        return null;
    }

    private Res sizeNoun(int k) {
        if (!free(k)) {
            return null;
        }
        String x = w(k);
        if (Words.MEMORY.contains(x)) {
            t.get(k).used = true;
            return Res.MEMORY;
        }
        if (Words.DISK.contains(x) && !(x.equals("space") && w(k - 1).equals("user"))) {
            t.get(k).used = true;
            return Res.DISK;
        }
        return null;
    }

    /** "cpus: 4", "cores to 8", "memory = 8": the noun before a bare number. */
    private Res countNounBefore(int i) {
        for (int k = i - 1, n = 0; k >= 0 && n < 3; k--, n++) {
            Token x = t.get(k);
            if (!free(k) || x.isNumber() || x.isSentenceEnd() || x.text.equals(",")) {
                return null;
            }
            if (Words.CPU.contains(x.text)) {
                x.used = true;
                return Res.CPU;
            }
            if (Words.GPU.contains(x.text)) {
                x.used = true;
                return Res.GPU;
            }
            if (Words.MEMORY.contains(x.text)) {
                x.used = true;
                return Res.MEMORY;
            }
            if (Words.DISK.contains(x.text) && !x.text.equals("space")) {
                x.used = true;
                return Res.DISK;
            }
            if (!Set.of(":", "=", "to", "of", "at", "is", "be", "set", "count", "number").contains(x.text)) {
                return null;
            }
        }
        return null;
    }

    private int base(Res r) {
        return switch (r) {
            case CPU -> d.cpus != null ? d.cpus : defaults.cpus();
            case MEMORY -> d.memoryMiB != null ? d.memoryMiB : defaults.memoryMiB();
            case DISK -> d.diskGiB != null ? d.diskGiB : defaults.diskGiB() == null ? 10 : defaults.diskGiB();
            case GPU -> d.gpus != null ? d.gpus : 0;
        };
    }

    private Res resourceNoun(int k) {
        String x = w(k);
        if (Words.MEMORY.contains(x)) {
            return Res.MEMORY;
        }
        if (Words.DISK.contains(x)) {
            return Res.DISK;
        }
        if (Words.CPU.contains(x) || x.equals("compute")) {
            return Res.CPU;
        }
        if (Words.GPU.contains(x)) {
            return Res.GPU;
        }
        return null;
    }

    /** "double the memory", "more CPUs", "less RAM", "twice the disk", "memory x2", "a bigger disk". */
    private void relativeChanges() {
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            String x = w(i);
            double factor;
            boolean more = false;
            if (Set.of("double", "doubled", "twice", "x2").contains(x)) {
                factor = 2;
            } else if (Set.of("triple", "tripled", "thrice", "x3", "3x").contains(x)) {
                factor = 3;
            } else if (Set.of("quadruple", "quadrupled", "x4", "4x").contains(x)) {
                factor = 4;
            } else if (Set.of("halve", "halved", "half").contains(x)) {
                factor = 0.5;
            } else if (Set.of("more", "bigger", "larger", "increase", "increased", "bump", "boost", "raise", "higher",
                    "extra", "additional", "another", "add", "beefier", "faster").contains(x)) {
                factor = 2;
                more = true;
            } else if (Set.of("less", "fewer", "smaller", "reduce", "decrease", "lower", "shrink", "cut").contains(x)) {
                factor = 0.5;
                more = true;
            } else {
                continue;
            }
            Res res = null;
            int at = -1;
            for (int k = i + 1, n = 0; k < t.size() && n < 4; k++, n++) {
                if (!free(k) || t.get(k).isPunct() || t.get(k).isNumber()) {
                    break;
                }
                res = resourceNoun(k);
                if (res != null) {
                    at = k;
                    break;
                }
                if (!Set.of("the", "amount", "of", "number", "my", "its", "as", "much", "many", "a", "an", "it's",
                        "cpu", "virtual", "ram", "disk", "hard").contains(w(k))) {
                    break;
                }
            }
            if (res == null && !more) {
                for (int k = i - 1; k >= Math.max(0, i - 2); k--) {
                    if (!free(k)) {
                        break;
                    }
                    res = resourceNoun(k);
                    if (res != null) {
                        at = k;
                        break;
                    }
                }
            }
            if (res == null || res == Res.GPU && negated(at)) {
                continue;
            }
            use(Math.min(i, at), Math.max(i, at) + 1);
            int before = base(res);
            int after;
            if (res == Res.GPU && more) {
                after = factor > 1 ? before + 1 : Math.max(0, before - 1);
            } else {
                after = (int) Math.max(1, Math.round(before * factor));
            }
            if (res == Res.CPU && after < 1) {
                after = 1;
            }
            switch (res) {
                case CPU -> d.cpus = after;
                case MEMORY -> d.memoryMiB = Math.max(256, after);
                case DISK -> d.diskGiB = after;
                case GPU -> d.gpus = after;
            }
            if (more) {
                d.note((res == Res.GPU ? (factor > 1 ? "one more" : "one fewer")
                        : factor > 1 ? "twice as much" : "half as much") + " for '" + x + " " + w(at) + "'");
            }
            d.strongSignals++;
        }
    }

    /** "a GPU", "with GPU", "CUDA", "no GPU", "drop the GPU". */
    private void gpuWords() {
        for (int i = 0; i < t.size(); i++) {
            String x = w(i);
            boolean gpu = Words.GPU.contains(x) || x.equals("cuda") || x.equals("graphics") && w(i + 1).startsWith("card")
                    || x.equals("nvidia") || x.equals("accelerator") || x.equals("accelerators");
            if (!gpu || !free(i) && !x.equals("cuda")) {
                continue;
            }
            if (negated(i)) {
                if (d.gpus != null && d.gpus > 0) {
                    d.note("no GPU, as asked");
                }
                d.gpus = null;
            } else if (d.gpus == null || d.gpus == 0) {
                d.gpus = 1;
            }
            if (!x.equals("cuda")) {
                t.get(i).used = true;
            }
            d.strongSignals++;
        }
    }

    // ---------------------------------------------------------------- kind

    private void kind() {
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            String x = w(i);
            Kind k = null;
            int len = 1;
            if (x.equals("vm") || x.equals("vms") || x.equals("virtual") && w(i + 1).startsWith("machine")) {
                k = Kind.VM;
                len = x.equals("virtual") ? 2 : 1;
            } else if (Words.CONTAINER_WORDS.contains(x)) {
                k = Kind.CONTAINER;
            } else if ((x.equals("docker") || x.equals("podman"))
                    && Set.of("container", "containers", "image", "images").contains(w(i + 1))) {
                boolean inside = Set.of("run", "running", "build", "building", "start", "starting", "launch", "manage",
                        "test", "testing", "create", "creating", "my", "own", "spin", "nested", "host", "hosting")
                        .contains(w(i - 1));
                for (int k2 = i + 2; k2 < Math.min(t.size(), i + 5); k2++) {
                    inside |= Set.of("inside", "within", "nested", "in").contains(w(k2));
                }
                if (inside) {
                    t.get(i + 1).used = true; // "run docker containers inside": Docker is software here
                    continue;
                }
                k = Kind.CONTAINER;
                len = 2;
            }
            if (k != null) {
                if (negated(i)) {
                    k = k == Kind.VM ? Kind.CONTAINER : Kind.VM;
                }
                kindHere = k;
                use(i, i + len);
                d.strongSignals++;
                continue;
            }
            String cue = null;
            if (Words.VM_CUES.contains(x) && !negated(i)) {
                cue = x.equals("reboot") || x.equals("reboots") || x.equals("rebooting") ? "reboots"
                        : x.startsWith("kernel") ? "a kernel of its own" : x;
            } else if (x.equals("isolation") && Set.of("strong", "stronger", "full", "hardware", "strongest",
                    "better", "real").contains(w(i - 1))) {
                cue = "stronger isolation";
            } else if (x.equals("secure") && w(i + 1).equals("boot")) {
                cue = "secure boot";
            } else if (x.equals("own") && (w(i + 1).equals("kernel"))) {
                cue = "a kernel of its own";
            }
            if (cue != null) {
                impliedVmHere = cue;
                d.strongSignals++;
            }
        }
    }

    private void applyKind() {
        if (kindHere != null) {
            if (d.kindStrength == 3 && kindHere == Kind.CONTAINER) {
                d.warn(cap(d.distro) + " needs a VM; a container cannot run it");
            } else {
                d.kind = kindHere;
                d.kindStrength = 2;
                d.kindTurn = d.turn;
            }
        }
        if (impliedVmHere != null) {
            if (d.kindStrength == 2 && d.kind == Kind.CONTAINER && kindHere == null && d.kindTurn < d.turn) {
                d.kind = Kind.VM; // a later turn asks for something a container cannot do
                d.note("a VM instead of the container: the request needs " + impliedVmHere);
            } else if (d.kindStrength < 2) {
                d.kind = Kind.VM;
                d.kindStrength = 1;
                d.note("a VM because the request needs " + impliedVmHere);
            } else if (d.kind == Kind.CONTAINER) {
                d.warn(impliedVmHere + " usually needs a VM; keeping the container asked for");
            }
        }
    }

    private static String cap(String s) {
        return s == null || s.isEmpty() ? "this system" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---------------------------------------------------------------- streaming

    private void streaming() {
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            String x = w(i);
            Streaming.Protocol p = null;
            int len = 1;
            if (x.equals("rdp") || x.equals("mstsc") || x.equals("xrdp")) {
                p = Streaming.Protocol.RDP;
            } else if (x.equals("remote") && w(i + 1).equals("desktop") && w(i + 2).equals("protocol")) {
                p = Streaming.Protocol.RDP;
                len = 3;
            } else if (x.equals("vnc") || x.equals("tigervnc") || x.equals("novnc")) {
                p = Streaming.Protocol.VNC;
            } else if (x.equals("spice")) {
                p = Streaming.Protocol.SPICE;
            } else if (x.equals("ssh") || x.equals("secure") && w(i + 1).equals("shell")) {
                len = x.equals("ssh") ? 1 : 2;
                if (!negated(i)) {
                    d.sshWanted = true;
                    d.strongSignals++;
                } else {
                    d.sshWanted = false;
                }
                if (!w(i + len).equals("server") && !w(i + len).equals("client")) {
                    use(i, i + len);
                }
                continue;
            }
            if (p == null) {
                continue;
            }
            use(i, i + len);
            if (negated(i)) {
                continue;
            }
            d.protocol = p;
            d.strongSignals++;
            hintDesktop(null, 1);
        }
    }

    // ---------------------------------------------------------------- desktop

    /** Records a desktop reading of this turn; null desktop means "some GUI, the default". */
    private void hintDesktop(Desktop desktop, int strength) {
        if (strength >= desktopStrengthHere) {
            desktopStrengthHere = strength;
            desktopHere = desktop == null ? Desktop.XFCE : desktop;
            genericDesktopHere = desktop == null;
        }
    }

    private void desktop() {
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            String x = w(i);
            Desktop named = switch (x) {
                case "xfce", "xfce4", "xubuntu" -> Desktop.XFCE;
                case "gnome" -> Desktop.GNOME;
                case "kde", "plasma" -> Desktop.KDE;
                case "lxqt" -> Desktop.LXQT;
                case "mate" -> Desktop.MATE;
                case "cinnamon" -> Desktop.CINNAMON;
                default -> null;
            };
            if (named != null) {
                t.get(i).used = true;
                if (w(i + 1).equals("plasma") || w(i + 1).equals("desktop") || w(i + 1).equals("shell")
                        || w(i + 1).equals("environment")) {
                    t.get(i + 1).used = true;
                }
                if (!negated(i)) {
                    hintDesktop(named, 3);
                    d.strongSignals++;
                }
                continue;
            }
            if (Words.NAMED_DESKTOP_OTHERS.contains(x) && !negated(i)) {
                t.get(i).used = true;
                Desktop closest = x.equals("lxde") ? Desktop.LXQT : Desktop.XFCE;
                d.warn(x.toUpperCase(Locale.ROOT) + " is not offered; using " + closest.json().toUpperCase(Locale.ROOT)
                        + " instead");
                hintDesktop(closest, 3);
                continue;
            }
            if (x.equals("headless") || x.equals("nongraphical") || x.equals("non") && w(i + 1).equals("graphical")
                    || x.equals("text") && (w(i + 1).equals("mode") || w(i + 1).equals("only"))) {
                t.get(i).used = true;
                hintDesktop(Desktop.NONE, 3);
                d.strongSignals++;
                continue;
            }
            boolean gui = Words.GUI_WORDS.contains(x) && !(x.equals("x") && !w(i + 1).equals("server")
                    && !w(i - 1).equals("with")) && !(x.equals("graphics") && w(i + 1).startsWith("card"))
                    && !(x.equals("screen") && !w(i - 1).equals("a") && !w(i - 1).equals("the"))
                    && !(x.equals("display") && w(i + 1).equals("port"));
            if (gui) {
                if (negatedOrOff(i)) {
                    hintDesktop(Desktop.NONE, 3);
                } else if (!x.equals("screen") && !x.equals("display") && !x.equals("visual")) {
                    hintDesktop(null, 2);
                } else {
                    hintDesktop(null, 1);
                }
                t.get(i).used = true;
                d.strongSignals++;
                continue;
            }
            boolean terminal = Words.TERMINAL_WORDS.contains(x) || x.equals("command") && w(i + 1).equals("line");
            if (terminal) {
                boolean only = w(i + 1).equals("only") || w(i + 2).equals("only") && x.equals("command")
                        || Set.of("only", "just", "purely", "pure").contains(w(i - 1))
                        || Set.of("only", "just").contains(w(i - 2)) && Set.of("a", "an", "the").contains(w(i - 1));
                if (negated(i)) {
                    continue;
                }
                hintDesktop(Desktop.NONE, only ? 3 : 1);
                d.strongSignals++;
                continue;
            }
            if (x.equals("workstation") || x.equals("ide") || x.equals("ides") || x.equals("mouse")
                    || x.equals("browser") && !softwareAt[i]) {
                hintDesktop(null, 1);
            }
        }
    }

    private void applyDesktop() {
        if (desktopStrengthHere == 0) {
            return;
        }
        if (desktopStrengthHere >= 2) {
            boolean keepNamed = genericDesktopHere && d.desktop != null && d.desktop != Desktop.NONE
                    && d.desktopStrength >= 2;
            if (!keepNamed) {
                d.desktop = desktopHere;
                d.desktopStrength = desktopStrengthHere;
                if (genericDesktopHere) {
                    d.note("XFCE, the default desktop, as none was named");
                }
            }
        } else if (d.desktop == null) {
            d.desktop = desktopHere;
            d.desktopStrength = 1;
            if (genericDesktopHere) {
                d.note("a graphical desktop (XFCE, the default) for the graphical tools asked for");
            }
        }
    }

    // ---------------------------------------------------------------- network

    private void network() {
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            String x = w(i);
            Network.Egress e = null;
            int len = 1;
            if (Set.of("offline", "airgapped", "airgap", "air-gapped").contains(x)
                    || x.equals("air") && (w(i + 1).startsWith("gap"))) {
                e = Network.Egress.NONE;
                len = x.equals("air") ? 2 : 1;
            } else if (x.equals("isolated") && (w(i + 1).equals("network") || w(i + 1).equals("from"))
                    || x.equals("network") && w(i + 1).equals("isolation")) {
                e = Network.Egress.NONE;
                len = 2;
            } else if (Set.of("internet", "network", "networking", "net", "egress", "outbound", "connectivity",
                    "online", "wan", "web").contains(x)) {
                if (Set.of("host", "host's", "--net", "--network").contains(w(i - 1)) || w(i + 1).equals("=")
                        || x.equals("web") && !negated(i) || x.equals("net") && !negated(i)) {
                    continue;
                }
                if (negatedOrOff(i)) {
                    e = Network.Egress.NONE;
                } else if (allowlistHere) {
                    continue;
                } else if (x.equals("internet") || x.equals("online")
                        || Set.of("access", "connection", "connectivity").contains(w(i + 1))
                        || Set.of("full", "open", "unrestricted", "allow", "with", "public").contains(w(i - 1))) {
                    e = Network.Egress.OPEN;
                }
            } else if (x.equals("unrestricted") && Set.of("network", "internet", "egress", "access").contains(w(i + 1))) {
                e = Network.Egress.OPEN;
                len = 2;
            }
            if (e == null) {
                continue;
            }
            use(i, i + len);
            d.egress = e;
            if (e != Network.Egress.ALLOWLIST) {
                d.allow.clear();
            }
            d.weakSignals++;
        }
    }

    // ---------------------------------------------------------------- software

    private static final Set<String> CTX_BEFORE = Words.set("with", "install", "installed", "and", "plus", ",", "+", "&",
            "using", "use", "in", "or", "also", "add", "/", "need", "want", "includes", "including", "of", "for",
            "some", "the", "want", "remove", "drop", "without", "no", "uninstall", ":");
    private static final Set<String> CTX_AFTER_WORDS = Words.set("and", "or", "toolchain", "compiler", "language", "lang",
            "dev", "development", "programming", "installed", "tools", "sdk", "runtime", "too", "also", "support",
            "stack", "env", "environment", "setup", "box", "project", "projects", "code", "plus", "&");

    private void packages() {
        for (int i = 0; i < t.size(); i++) {
            if (!free(i)) {
                continue;
            }
            Software.Match m = software.match(t, i);
            if (m == null) {
                continue;
            }
            Software.Entry e = m.entry();
            int end = i + m.length();
            if (e.ctx() && !contextual(i, end)) {
                continue;
            }
            boolean neg = negated(i);
            List<String> pkgs = e.packages();
            String label = e.label();
            // versions: "java 17" is a package of its own, other versions are noted
            if (end < t.size() && t.get(end).isNumber() && free(end)
                    && !Words.SIZE_UNITS.containsKey(w(end + 1)) && !Words.TIME_UNITS.containsKey(w(end + 1))
                    && !Words.CPU.contains(w(end + 1)) && !Words.GPU.contains(w(end + 1))) {
                Token v = t.get(end);
                if (pkgs.contains("default-jdk") || pkgs.contains("default-jre")) {
                    int major = (int) v.value;
                    if (v.text.startsWith("1.")) {
                        major = (int) Math.round((v.value - 1) * 10);
                    }
                    String kind = pkgs.contains("default-jre") ? "jre" : "jdk";
                    List<String> replaced = new ArrayList<>();
                    for (String p : pkgs) {
                        replaced.add(p.equals("default-" + kind) ? "openjdk-" + major + "-" + kind : p);
                    }
                    pkgs = replaced;
                    label = "java-" + major;
                } else if (!neg) {
                    d.note("Debian's own " + pkgs.getFirst() + " package for " + e.label() + " " + v.text);
                }
                v.used = true;
                end++;
            }
            use(i, end);
            if (neg) {
                for (String p : pkgs) {
                    d.packages.remove(p);
                }
                d.labels.remove(label);
                continue;
            }
            d.packages.addAll(pkgs);
            if (e.ext()) {
                d.warn(pkgs.getFirst() + " (for " + e.label() + ") is not a Debian 12 package: it installs from its "
                        + "vendor's repository");
            }
            if (e.purpose()) {
                if (d.purpose == null) {
                    d.purpose = label;
                }
            } else {
                d.labels.add(label);
            }
            if (e.gui()) {
                hintDesktop(null, 1);
            }
            if (e.vm()) {
                if (impliedVmHere == null) {
                    impliedVmHere = label.equals("docker") || label.startsWith("docker") ? "Docker inside (nested containers)"
                            : label;
                }
            }
            d.weakSignals++;
        }
    }

    /** A common English word is software only in a list of software or right after "with", "install", ... */
    private boolean contextual(int i, int end) {
        String next = w(end);
        boolean nextOk = end >= t.size() || t.get(end).isPunct() || t.get(end).isNumber()
                || CTX_AFTER_WORDS.contains(next) || softwareAt[end] && !software.match(t, end).entry().ctx();
        if (!nextOk) {
            return false;
        }
        String prev = w(i - 1);
        return i == 0 || CTX_BEFORE.contains(prev) || t.get(i - 1).isPunct() || softwareAt[i - 1];
    }
}
