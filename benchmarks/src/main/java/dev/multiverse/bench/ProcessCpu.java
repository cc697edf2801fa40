package dev.multiverse.bench;

import java.lang.management.ManagementFactory;

/** The CPU time of this process, all threads: beside the wall time, how much of the cores a run had. */
final class ProcessCpu {
    private ProcessCpu() {}

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
