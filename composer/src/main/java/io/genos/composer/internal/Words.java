package io.genos.composer.internal;

import java.util.Map;
import java.util.Set;

/** Small closed vocabularies the reader uses: units, resource nouns, negators, cues. */
final class Words {

    private Words() {}

    /** A set that tolerates repeated words (the lists are edited by hand). */
    static Set<String> set(String... words) {
        return Set.copyOf(java.util.Arrays.asList(words));
    }

    /** Size units in MiB. */
    static final Map<String, Double> SIZE_UNITS = Map.ofEntries(
            Map.entry("k", 1.0 / 1024), Map.entry("kb", 1.0 / 1024), Map.entry("kib", 1.0 / 1024),
            Map.entry("kilobyte", 1.0 / 1024), Map.entry("kilobytes", 1.0 / 1024),
            Map.entry("m", 1.0), Map.entry("mb", 1.0), Map.entry("mib", 1.0), Map.entry("meg", 1.0),
            Map.entry("megs", 1.0), Map.entry("megabyte", 1.0), Map.entry("megabytes", 1.0),
            Map.entry("mebibyte", 1.0), Map.entry("mebibytes", 1.0), Map.entry("mbs", 1.0),
            Map.entry("g", 1024.0), Map.entry("gb", 1024.0), Map.entry("gib", 1024.0), Map.entry("gig", 1024.0),
            Map.entry("gigs", 1024.0), Map.entry("gigabyte", 1024.0), Map.entry("gigabytes", 1024.0),
            Map.entry("gibibyte", 1024.0), Map.entry("gibibytes", 1024.0), Map.entry("gbs", 1024.0),
            Map.entry("gigabyte's", 1024.0), Map.entry("gb's", 1024.0),
            Map.entry("t", 1048576.0), Map.entry("tb", 1048576.0), Map.entry("tib", 1048576.0),
            Map.entry("tera", 1048576.0), Map.entry("terabyte", 1048576.0), Map.entry("terabytes", 1048576.0),
            Map.entry("tebibyte", 1048576.0), Map.entry("tebibytes", 1048576.0), Map.entry("tbs", 1048576.0));

    /** Time units in seconds. */
    static final Map<String, Long> TIME_UNITS = Map.ofEntries(
            Map.entry("s", 1L), Map.entry("sec", 1L), Map.entry("secs", 1L), Map.entry("second", 1L),
            Map.entry("seconds", 1L), Map.entry("m", 60L), Map.entry("min", 60L), Map.entry("mins", 60L),
            Map.entry("minute", 60L), Map.entry("minutes", 60L), Map.entry("h", 3600L), Map.entry("hr", 3600L),
            Map.entry("hrs", 3600L), Map.entry("hour", 3600L), Map.entry("hours", 3600L), Map.entry("d", 86400L),
            Map.entry("day", 86400L), Map.entry("days", 86400L), Map.entry("w", 604800L), Map.entry("wk", 604800L),
            Map.entry("wks", 604800L), Map.entry("week", 604800L), Map.entry("weeks", 604800L),
            Map.entry("fortnight", 1209600L), Map.entry("month", 2592000L), Map.entry("months", 2592000L),
            Map.entry("year", 31536000L), Map.entry("years", 31536000L), Map.entry("workday", 28800L),
            Map.entry("workdays", 28800L), Map.entry("night", 43200L), Map.entry("nights", 43200L));

    static final Set<String> MEMORY = Words.set("ram", "memory", "mem", "rams");
    static final Set<String> DISK = Words.set("disk", "disks", "storage", "ssd", "ssds", "hdd", "hdds", "drive", "drives",
            "space", "volume", "nvme", "harddisk", "harddrive", "rootfs");
    static final Set<String> CPU = Words.set("cpu", "cpus", "vcpu", "vcpus", "core", "cores", "thread", "threads",
            "processor", "processors", "vcores", "vcore", "cpu's");
    static final Set<String> GPU = Words.set("gpu", "gpus", "gpu's", "vgpu", "vgpus");
    /** Words that may sit between a count and its noun: "4 virtual CPUs", "2 nvidia GPUs". */
    static final Set<String> COUNT_ADJECTIVES = Words.set("virtual", "logical", "physical", "dedicated", "fast", "nvidia",
            "amd", "intel", "x86", "arm", "cpu", "graphics", "video", "rtx", "gtx", "tesla", "modern", "big",
            "beefy", "powerful", "good", "decent", "small", "cuda");
    static final Set<String> MORE = Words.set("more", "extra", "additional", "another");
    static final Set<String> SIZE_RIGHT_FILLERS = Words.set("of", "the", "a", "an", "in", "total", "worth", "dedicated",
            "fast", "local", "persistent", "free", "system", "root", "hard", "virtual", "solid", "state", "ddr4",
            "ddr5", "ecc", "physical", "main", "disk", "usable");
    static final Set<String> LEFT_FILLERS = Words.set("of", "the", "a", "an", "to", "at", "least", "about", "around",
            "approximately", "roughly", "is", "be", "set", "with", ":", "=", "~", "total", "bump", "up", "increase",
            "raise", "make", "it", "have", "has", "by", "allocate", "give", "size", "amount", "count", "number", "its",
            "change", "and", "need", "needs", "want", "only", "just", "minimum", "maximum", "max", "min");

    static final Set<String> NEGATORS = Words.set("no", "not", "without", "don't", "dont", "doesn't", "never", "remove",
            "drop", "delete", "uninstall", "exclude", "excluding", "except", "minus", "ditch", "lose", "skip", "nix",
            "replace", "swap", "nor", "neither", "removed", "dropped", "w/o", "zero", "disable", "kill", "lose",
            "scrap", "omit", "won't", "shouldn't", "mustn't", "isn't", "aren't", "non");
    /** Words the negation look-back may cross. */
    static final Set<String> NEGATION_GAP = Words.set("a", "an", "the", "any", "and", "or", "nor", ",", "need", "want",
            "needed", "use", "install", "installed", "have", "include", "it", "its", "my", "your", "please", "to",
            "with", "really", "also", "even", "do", "does", "of", "there", "is", "be", "should", "mine", "this",
            "that", "some", "more", "bother", "with", "require", "requires", "required", "need", "using", "run",
            "running", "want", "wanted", "any", "thing");
    /** Words after which a negation no longer applies. */
    static final Set<String> RESETS = Words.set("with", "but", "add", "plus", "install", "include", "including", "also",
            "keep", "then", "instead", "yes");

    static final Set<String> ENV_NOUNS = Words.set("environment", "env", "box", "machine", "vm", "vms", "container",
            "containers", "sandbox", "workstation", "desktop", "server", "instance", "playground", "setup", "shell",
            "terminal", "computer", "pc", "devbox", "workspace", "lab", "rig", "distro", "gui", "headless", "session",
            "sandbox", "image", "toolbox", "testbed", "vps", "guest");
    static final Set<String> REQUEST_VERBS = Words.set("need", "want", "give", "spin", "set", "create", "make", "build",
            "install", "run", "start", "launch", "get", "provision", "prepare", "like", "please", "with", "setup",
            "deploy", "use", "add", "i'd", "id", "gimme", "lemme", "wanna", "boot", "fire", "stand", "bring");
    static final Set<String> QUESTION_WORDS = Words.set("what", "what's", "whats", "how", "why", "who", "when", "where",
            "which", "is", "are", "does", "do", "tell", "explain", "hello", "hi", "hey", "thanks", "thank", "who's",
            "whose", "did", "was", "were", "should", "shall");

    static final Set<String> IDLE_CUES = Words.set("idle", "idling", "inactive", "inactivity", "unused", "afk", "away",
            "untouched", "idleness", "disconnected", "disconnect", "dormant");

    static final Set<String> VM_CUES = Words.set("kernel", "kernels", "systemd", "reboot", "reboots", "rebooting",
            "nested", "bootloader", "grub", "selinux", "uefi", "bios", "dind", "hypervisor", "kvm", "modprobe",
            "insmod", "lkm", "initramfs", "dkms", "apparmor", "sysctl", "sysctls", "zfs");
    static final Set<String> CONTAINER_WORDS = Words.set("container", "containers", "containerized", "containerised",
            "lxc", "lightweight");

    static final Set<String> NAMED_DESKTOP_OTHERS = Words.set("budgie", "unity", "pantheon", "deepin", "enlightenment",
            "i3", "i3wm", "sway", "openbox", "fluxbox", "icewm", "dwm", "awesomewm", "xmonad", "hyprland", "lxde",
            "cde", "twm", "windowmaker", "bspwm", "qtile");
    static final Set<String> GUI_WORDS = Words.set("desktop", "desktops", "gui", "graphical", "x11", "xorg", "wayland",
            "x", "graphic", "graphics", "display", "screen", "visual", "windowed", "vdi");
    static final Set<String> TERMINAL_WORDS = Words.set("terminal", "shell", "console", "cli", "tty", "bash",
            "commandline", "cmdline", "prompt", "sh", "ssh-only", "text-only");

    static final Map<String, Integer> SERVICE_PORTS = Map.ofEntries(
            Map.entry("jupyter", 8888), Map.entry("jupyterlab", 8888), Map.entry("notebook", 8888),
            Map.entry("nginx", 80), Map.entry("apache", 80), Map.entry("http", 80), Map.entry("web", 80),
            Map.entry("website", 80), Map.entry("https", 443), Map.entry("postgres", 5432),
            Map.entry("postgresql", 5432), Map.entry("mysql", 3306), Map.entry("mariadb", 3306),
            Map.entry("redis", 6379), Map.entry("ssh", 22), Map.entry("grafana", 3000),
            Map.entry("prometheus", 9090), Map.entry("mongodb", 27017), Map.entry("mongo", 27017),
            Map.entry("elasticsearch", 9200), Map.entry("rabbitmq", 5672), Map.entry("tomcat", 8080),
            Map.entry("jenkins", 8080), Map.entry("memcached", 11211));

    static final Map<String, String> SERVICE_HOSTS = Map.ofEntries(
            Map.entry("github", "github.com"), Map.entry("gitlab", "gitlab.com"),
            Map.entry("bitbucket", "bitbucket.org"), Map.entry("pypi", "pypi.org"),
            Map.entry("npmjs", "registry.npmjs.org"), Map.entry("dockerhub", "registry-1.docker.io"),
            Map.entry("rubygems", "rubygems.org"), Map.entry("huggingface", "huggingface.co"),
            Map.entry("crates", "crates.io"), Map.entry("debian", "deb.debian.org"),
            Map.entry("ubuntu", "archive.ubuntu.com"), Map.entry("google", "google.com"),
            Map.entry("stackoverflow", "stackoverflow.com"), Map.entry("wikipedia", "wikipedia.org"),
            Map.entry("maven", "repo.maven.apache.org"), Map.entry("npm", "registry.npmjs.org"));
    static final Set<String> ALLOW_CUES = Words.set("only", "allow", "allowed", "allowing", "allowlist", "whitelist",
            "whitelisted", "allowlisted", "restrict", "restricted", "limit", "limited", "egress", "reach", "access",
            "just", "permit", "permitted", "outbound", "connect", "talk");
}
