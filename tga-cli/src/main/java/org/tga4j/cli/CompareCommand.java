package org.tga4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tga4j.eval.report.CompareHtml;
import org.tga4j.eval.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Put several reports side by side (e.g. baseline vs TGA) in one HTML page.")
public final class CompareCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(arity = "2..*", description = "report.json files (or folders holding one).") List<Path> reports;
    @Option(names = "--out", required = true, description = "Output HTML file.") Path out;

    @Override
    public Integer call() throws Exception {
        List<Report> rs = reports.stream().map(p -> Report.read(Files.isDirectory(p) ? p.resolve("report.json") : p)).toList();
        Report.atomicWrite(out, CompareHtml.render(rs));
        spec.commandLine().getOut().println("comparison: " + out);
        return 0;
    }
}
