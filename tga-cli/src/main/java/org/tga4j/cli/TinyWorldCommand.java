package org.tga4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tga4j.cli.demo.TinyWorldDemo;
import org.tga4j.datasets.tinyworld.Split;
import org.tga4j.datasets.tinyworld.TinyWorldConfig;
import org.tga4j.datasets.tinyworld.TinyWorldGenerator;
import org.tga4j.projector.pretrain.TinyWorldFoundation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tga tinyworld ...}: the embedded synthetic world. */
@Command(
        name = "tinyworld",
        description = "TinyWorld: the small synthetic world that runs the whole TGA story on a laptop CPU.",
        subcommands = {TinyWorldCommand.Generate.class, TinyWorldCommand.Pretrain.class})
public final class TinyWorldCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tga tinyworld generate --out DIR --seed S [--images N] [--size PX]}. */
    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Generate a TinyWorld (images, LLaVA JSON, caption corpus, safety manifests, text corpora, "
                    + "world.json) deterministically from a seed.")
    static final class Generate implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, description = "Output directory (must not exist or be empty).")
        Path out;

        @Option(names = "--seed", required = true, description = "Master seed; same seed gives byte-identical files.")
        long seed;

        @Option(names = "--images", defaultValue = "" + TinyWorldConfig.DEFAULT_IMAGES,
                description = "Number of images (default: ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--size", defaultValue = "" + TinyWorldConfig.DEFAULT_SIZE,
                description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--threads", description = "Rendering threads (default: all cores; output does not depend on it).")
        Integer threads;

        @Option(names = "--force", description = "Replace an existing world at --out (once the new one is complete).")
        boolean force;

        @Option(names = "--no-progress", description = "Do not show a progress bar.")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            TinyWorldConfig base = TinyWorldConfig.of(seed, images, size);
            TinyWorldConfig cfg = threads == null ? base
                    : new TinyWorldConfig(seed, images, size, base.trainFraction(), base.valFraction(), threads);
            var err = spec.commandLine().getErr();
            TinyWorldGenerator.Result r;
            if (noProgress) {
                r = new TinyWorldGenerator(cfg, null).generate(out, force);
            } else {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("images").setInitialMax(images)
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                        .build()) {
                    r = new TinyWorldGenerator(cfg, (stage, done, total) -> {
                        synchronized (bar) {
                            if (stage.equals("images")) bar.stepTo(done);
                            else bar.setExtraMessage(stage + " " + done + "/" + total);
                        }
                    }).generate(out, force);
                }
            }
            var o = spec.commandLine().getOut();
            o.printf("TinyWorld written to %s%n", r.dir());
            o.printf("  seed %d, %d images of %dx%d: train %d, val %d, test %d%n", seed, images, size, size,
                    r.images().get(Split.TRAIN), r.images().get(Split.VAL), r.images().get(Split.TEST));
            o.printf("  test: %d hazardous (safety/hazard_test.jsonl), %d benign (safety/benign_test.jsonl)%n",
                    r.hazardousTest(), r.benignTest());
            o.printf("  caption corpus: %d texts (captions/captions.jsonl); look at contact_sheet.png%n", r.captions());
            err.flush();
            return 0;
        }
    }

    /** {@code tga tinyworld pretrain --world DIR [--quick] [--cache DIR]}. */
    @Command(
            name = "pretrain",
            mixinStandardHelpOptions = true,
            description = "Train (or find in the cache) TinyWorld's foundation models: a BPE tokenizer, the text LLM "
                    + "(text only, with safety dialogues), CLIP (contrastive) and the untrained LLaVA they make.")
    static final class Pretrain implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--world", required = true, description = "A TinyWorld made by 'tga tinyworld generate'.")
        Path world;

        @Option(names = "--quick", description = "The small, short specification of 'tga demo --quick'.")
        boolean quick;

        @Option(names = "--cache", paramLabel = "DIR", description = "Cache root (default: $TGA4J_CACHE, else ~/.cache/tga4j).")
        Path cache;

        @Override
        public Integer call() {
            TinyWorldDemo.useOneTorchThread();
            TinyWorldFoundation.Spec s = quick ? TinyWorldFoundation.Spec.quick() : TinyWorldFoundation.Spec.defaults();
            var o = spec.commandLine().getOut();
            TinyWorldFoundation.Foundation f;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("pretrain").setInitialMax(1000)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .build()) {
                f = TinyWorldFoundation.ensure(world, s, cache != null ? cache : TinyWorldFoundation.defaultCacheRoot(),
                        new TinyWorldFoundation.Listener() {
                            @Override
                            public void progress(String stage, long done, long total) {
                                bar.stepTo(total <= 0 ? 0 : 1000 * done / total);
                                bar.setExtraMessage(stage);
                            }

                            @Override
                            public void log(String line) {
                                o.println(line);
                            }
                        });
            }
            o.printf("%s: %s%n", f.cached() ? "cached" : "trained", f.dir());
            o.printf("  text LLM %s%n  CLIP     %s%n  LLaVA    %s (untrained projector)%n", f.llm(), f.clip(), f.llava());
            return 0;
        }
    }
}
