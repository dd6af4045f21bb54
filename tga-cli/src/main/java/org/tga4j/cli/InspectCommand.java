package org.tga4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.tga4j.runtime.config.ClipConfig;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.weights.Checkpoint;
import org.tga4j.runtime.weights.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a checkpoint's architecture, sizes, dtypes, parameter count and chat template.")
public final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint directory (HF layout).")
    Path model;

    @Override
    public Integer call() {
        Record config = ModelConfig.load(model);
        System.out.println("model:      " + model.toAbsolutePath());
        String textType = null;
        switch (config) {
            case LlavaConfig l -> {
                TextConfig t = l.textConfig();
                textType = t.modelType();
                System.out.println("type:       llava (CLIP vision tower -> " + l.projectorType() + " projector -> "
                        + t.modelType() + " decoder)");
                var v = l.visionConfig();
                System.out.printf("vision:     %d layers, hidden %d, %d heads, image %dx%d, patch %d -> %d image tokens"
                                + " (feature layer %d, strategy %s)%n", v.numHiddenLayers(), v.hiddenSize(),
                        v.numAttentionHeads(), v.imageSize(), v.imageSize(), v.patchSize(), l.imageTokensPerImage(),
                        l.visionFeatureLayer(), l.visionFeatureSelectStrategy());
                System.out.println("image token: " + l.imageTokenIndex() + ", aspect: " + l.imageAspectRatio());
                printText(t);
            }
            case TextConfig t -> {
                textType = t.modelType();
                System.out.println("type:       " + t.modelType() + " (text-only causal LM)");
                printText(t);
            }
            case ClipConfig c -> System.out.printf("type:       clip dual encoder: vision %d layers / hidden %d, text %d"
                            + " layers / hidden %d, projection %d%n", c.visionConfig().numHiddenLayers(),
                    c.visionConfig().hiddenSize(), c.textConfig().numHiddenLayers(), c.textConfig().hiddenSize(),
                    c.projectionDim());
            default -> throw new IllegalStateException("unexpected config " + config);
        }
        try (Checkpoint ckpt = Checkpoint.open(model)) {
            Map<String, long[]> byDtype = new TreeMap<>();
            for (String name : ckpt.names()) {
                TensorInfo info = ckpt.info(name);
                long[] agg = byDtype.computeIfAbsent(info.dtype().name(), k -> new long[2]);
                agg[0]++;
                agg[1] += info.numel();
            }
            System.out.printf("parameters: %,d in %d tensors (%s)%n", ckpt.parameterCount(), ckpt.names().size(),
                    ckpt.source().getFileName());
            byDtype.forEach((k, v) -> System.out.printf("  %-5s %,d tensors, %,d values%n", k, v[0], v[1]));
        }
        if (textType != null) {
            System.out.println("template:   " + ChatTemplates.detect(model, textType).name());
        }
        return 0;
    }

    private static void printText(TextConfig t) {
        System.out.printf("decoder:    %d layers, hidden %d, mlp %d, %d heads / %d kv heads (head dim %d), vocab %d,"
                        + " rope theta %.0f, %s embeddings%n", t.numHiddenLayers(), t.hiddenSize(), t.intermediateSize(),
                t.numAttentionHeads(), t.numKeyValueHeads(), t.headDim(), t.vocabSize(), t.ropeTheta(),
                t.tieWordEmbeddings() ? "tied" : "untied");
    }
}
