package org.tga4j.projector;

import java.nio.file.Files;
import java.nio.file.Path;

/** A training run in its own JVM (for the kill-and-resume test): {@code TrainChild CONFIG.json}. */
public final class TrainChild {
    public static void main(String[] args) throws Exception {
        TrainConfig config = TrainConfig.fromJson(Files.readString(Path.of(args[0])));
        new Trainer(config, null).run(args.length > 1 && args[1].equals("--resume"));
        System.exit(0);
    }
}
