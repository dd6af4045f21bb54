package org.tga4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tga4j.cli.demo.TinyWorldDemo;
import org.tga4j.projector.pretrain.TinyWorldFoundation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tga demo}: TinyWorld end to end, LLaVA baseline vs TGA. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole TGA story on TinyWorld: generate the world, pretrain (or load the cached) text LLM"
                + " and CLIP, index captions and augment the data, train the LLaVA baseline and TGA, probe, evaluate,"
                + " and write OUT/report.html.")
public final class DemoCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = "target/tga-demo", paramLabel = "DIR",
            description = "Output directory (default: ${DEFAULT-VALUE}); earlier results there are replaced.")
    Path out;

    @Option(names = "--quick", description = "A small world and short training (about 2 minutes; what the tests run).")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", description = "World and training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--images", description = "TinyWorld images (default: 2000, or 240 with --quick).")
    Integer images;

    @Option(names = "--cache", paramLabel = "DIR", description = "Foundation-model cache (default: $TGA4J_CACHE, else"
            + " ~/.cache/tga4j).")
    Path cache;

    @Option(names = "--hazardous-instruct", negatable = true, description = "Keep the images with a hazardous object in"
            + " the visual instruction data, described like any other image (default; --no-hazardous-instruct: benign"
            + " scenes only).")
    Boolean hazardousInstruct;

    @Option(names = "--stage1-train-llm", negatable = true, description = "Stage 1 trains the LLM with the projector"
            + " (default; LLaVA freezes it there, but a projector alone cannot steer TinyWorld's 0.9M-parameter LLM).")
    Boolean stage1TrainLlm;

    @Option(names = "--stage1-epochs", description = "Stage 1 (captioning) epochs (default: 6, or 1 with --quick).")
    Integer stage1Epochs;

    @Option(names = "--train-llm", negatable = true, description = "Stage 2 fine-tunes the LLM with the projector, as LLaVA"
            + " and the TGA reference do (--no-train-llm: the projector only).")
    Boolean trainLlm;

    @Option(names = "--align-layers", paramLabel = "FIRST..LAST", description = "Alignment band (hidden-state"
            + " indices) instead of the one the probe finds in the foundation model.")
    String alignLayers;

    @Option(names = "--llm", paramLabel = "LAYERSxWIDTH", description = "The text LLM's size (default: 4x128, 0.9M"
            + " parameters; 4x64 with --quick), heads of 32; another size pretrains (and caches) its own foundation.")
    String llm;

    @Option(names = "--llm-epochs", description = "Text LLM pretraining epochs (default: 2, or 1 with --quick).")
    Integer llmEpochs;

    @Option(names = "--llm-lr", description = "Text LLM peak learning rate (default: 3e-3).")
    Double llmLr;

    @Option(names = "--no-progress", description = "Print a line per stage instead of a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        TinyWorldDemo.useOneTorchThread();
        TinyWorldDemo.Settings s = quick ? TinyWorldDemo.Settings.quick(seed) : TinyWorldDemo.Settings.defaults(seed);
        if (images != null) s = s.withImages(images);
        if (hazardousInstruct != null) s = s.withHazardousInstruct(hazardousInstruct);
        if (stage1TrainLlm != null) s = s.withStage1TrainLlm(stage1TrainLlm);
        if (stage1Epochs != null) s = s.withStage1Epochs(stage1Epochs);
        if (trainLlm != null) s = s.withTrainLlm(trainLlm);
        if (alignLayers != null) s = s.withAlignBand(alignLayers);
        if (llm != null) {
            String[] size = llm.split("x");
            if (size.length != 2 || !size[0].matches("\\d+") || !size[1].matches("\\d+")) {
                throw new IllegalArgumentException("--llm " + llm + ": expected LAYERSxWIDTH, e.g. 6x256");
            }
            s = s.withFoundation(s.foundation().withLlm(Integer.parseInt(size[0]), Integer.parseInt(size[1])));
        }
        if (llmEpochs != null || llmLr != null) {
            TinyWorldFoundation.Spec f = s.foundation();
            s = s.withFoundation(f.withLlmTraining(llmEpochs != null ? llmEpochs : f.textEpochs(),
                    llmLr != null ? llmLr : f.textLr()));
        }
        Path cacheRoot = cache != null ? cache : TinyWorldFoundation.defaultCacheRoot();
        var o = spec.commandLine().getOut();
        TinyWorldDemo.Outcome r = TinyWorldDemo.run(s, out, cacheRoot, !noProgress, System.out);
        o.println();
        o.print(r.summary().table());
        o.printf("report: %s (%.0f s)%n", r.report(), r.summary().seconds());
        o.flush();
        return 0;
    }
}
