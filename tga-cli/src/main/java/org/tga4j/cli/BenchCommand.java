package org.tga4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tga bench}: benchmarks (each a subcommand). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchRetrievalCommand.class, BenchTrainCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
