package io.genos.orchestrator;

import io.genos.spec.Resources;
import java.util.List;

/**
 * What one user may hold at once: running environments (requested, provisioning or running), and the CPUs, memory
 * and GPUs they use; disk counts every environment that still has one (stopped ones too). A launch that would go
 * beyond any of them is refused before anything is created, with the limit named.
 */
public record Quota(int maxRunning, int cpus, int memoryMiB, int diskGiB, int gpus) {

    public static final Quota UNLIMITED = new Quota(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE);

    public Quota {
        if (maxRunning < 0 || cpus < 0 || memoryMiB < 0 || diskGiB < 0 || gpus < 0) {
            throw new IllegalArgumentException("quota limits cannot be negative");
        }
    }

    /** What the environments count against a quota, and what is left. */
    record Usage(int running, int cpus, int memoryMiB, int diskGiB, int gpus) {

        static Usage of(List<Environment> environments) {
            int running = 0, cpus = 0, memory = 0, disk = 0, gpus = 0;
            for (Environment e : environments) {
                Resources r = e.spec() == null ? null : e.spec().resources();
                boolean active = switch (e.state()) {
                    case REQUESTED, PROVISIONING, RUNNING -> true;
                    default -> false;
                };
                boolean holdsDisk = active || e.state() == EnvironmentState.STOPPED;
                if (active) {
                    running++;
                    if (r != null) {
                        cpus += r.cpus();
                        memory += r.memoryMiB();
                        gpus += r.gpusOrZero();
                    }
                }
                if (holdsDisk && r != null && r.diskGiB() != null) {
                    disk += r.diskGiB();
                }
            }
            return new Usage(running, cpus, memory, disk, gpus);
        }
    }

    /** @throws QuotaExceededException naming the first limit the new environment would break */
    void check(String owner, Usage used, Resources wanted) {
        int wCpus = wanted == null ? 0 : wanted.cpus();
        int wMem = wanted == null ? 0 : wanted.memoryMiB();
        int wDisk = wanted == null || wanted.diskGiB() == null ? 0 : wanted.diskGiB();
        int wGpus = wanted == null ? 0 : wanted.gpusOrZero();
        if ((long) used.running() + 1 > maxRunning) {
            throw new QuotaExceededException("running environments", owner + " may run at most " + maxRunning
                    + " environment(s) at once and has " + used.running() + ": stop or destroy one first");
        }
        exceed(owner, "CPUs", used.cpus(), wCpus, cpus, "");
        exceed(owner, "memory", used.memoryMiB(), wMem, memoryMiB, " MiB");
        exceed(owner, "disk", used.diskGiB(), wDisk, diskGiB, " GiB");
        exceed(owner, "GPUs", used.gpus(), wGpus, gpus, "");
    }

    private static void exceed(String owner, String what, int used, int wanted, int limit, String unit) {
        if (wanted > 0 && (long) used + wanted > limit) {
            throw new QuotaExceededException(what, owner + "'s quota allows " + limit + unit + " of " + what
                    + " in use at once; " + used + unit + " are in use and this environment asks for " + wanted + unit);
        }
    }
}
