package org.tga4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tga bench}: the benchmark commands (each measures on this machine and writes a results JSON). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: measured on this machine, printed as a table and written as JSON.",
        subcommands = {BenchRuntimeCommand.class, BenchRetrievalCommand.class, BenchTrainCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
