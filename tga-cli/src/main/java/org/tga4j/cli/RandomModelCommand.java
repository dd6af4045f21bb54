package org.tga4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tga4j.runtime.RandomModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "random-model", mixinStandardHelpOptions = true,
        description = "Write a randomly initialised checkpoint (config.json, model.safetensors, a real tokenizer.json).")
public final class RandomModelCommand implements Callable<Integer> {
    @Option(names = "--arch", defaultValue = "llama", description = "llama, mistral, qwen2, llava or clip (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--out", required = true, description = "Output directory (must not exist or be empty).")
    Path out;

    @Option(names = "--force", description = "Replace an existing output directory.") boolean force;
    @Option(names = "--layers", defaultValue = "2") int layers;
    @Option(names = "--hidden", defaultValue = "64") int hidden;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--kv-heads", defaultValue = "2") int kvHeads;
    @Option(names = "--intermediate", defaultValue = "0", description = "MLP width (0: 8/3 x hidden).") int intermediate;
    @Option(names = "--vocab", defaultValue = "512") int vocab;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--vision-layers", defaultValue = "2") int visionLayers;
    @Option(names = "--vision-hidden", defaultValue = "64") int visionHidden;
    @Option(names = "--image-size", defaultValue = "32") int imageSize;
    @Option(names = "--patch-size", defaultValue = "8") int patchSize;

    @Override
    public Integer call() {
        if (!java.util.Set.of("llama", "mistral", "qwen2", "llava", "clip").contains(arch)) {
            throw new IllegalArgumentException("--arch must be llama, mistral, qwen2, llava or clip, got '" + arch + "'");
        }
        RandomModels.write(new RandomModels.Spec(arch, layers, hidden, heads, kvHeads, intermediate, vocab, seed,
                visionLayers, visionHidden, imageSize, patchSize), out, force);
        System.out.println("wrote " + arch + " checkpoint to " + out);
        return 0;
    }
}
