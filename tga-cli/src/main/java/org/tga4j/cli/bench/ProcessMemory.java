package org.tga4j.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as the Linux kernel reports it in {@code /proc/self/status}, and the machine's load. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Peak resident set size ({@code VmHWM}) in MiB, or -1 where {@code /proc} is not available. */
    public static double peakRssMiB() {
        return field("VmHWM:");
    }

    /** Current resident set size ({@code VmRSS}) in MiB, or -1. */
    public static double rssMiB() {
        return field("VmRSS:");
    }

    /** The machine's 1-minute load average ({@code /proc/loadavg}), or -1. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
