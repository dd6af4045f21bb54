package org.tga4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tga} command: a thin picocli front over the tga4j modules. */
@Command(
        name = "tga",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "tga4j: Text-Guided vision-language Alignment for LLaVA-style models on the JVM.",
        subcommands = {
            CommandLine.HelpCommand.class,
            InspectCommand.class,
            GenerateCommand.class,
            HiddenCommand.class,
            RandomModelCommand.class,
            TinyWorldCommand.class,
            IndexCommand.class,
            RetrieveCommand.class,
            AugmentCommand.class,
            TrainCommand.class,
            BenchCommand.class,
            EvalCommand.class,
            JudgeCommand.class,
            ProbeCommand.class,
            CompareCommand.class,
            DemoCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line (also used by tests to run commands in-process). */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            line.getErr().println("tga: " + ex.getMessage());
            if (System.getenv("TGA_DEBUG") != null) ex.printStackTrace(line.getErr());
            return 1;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tga4j " + (v == null ? "dev" : v)};
        }
    }
}
