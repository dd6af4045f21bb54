package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.model.ClipTextTower;

/**
 * Image–caption pairs held in memory, ready to batch: each image decoded and preprocessed once (CLIP transform, CHW
 * floats) into one flat cache, each caption tokenized once. 64×64 images take 48 KiB each, so a few thousand fit
 * easily; the cost is paid once instead of every epoch.
 */
public final class ClipPairs {
    private final List<String> ids;
    private final List<String> captions;
    private final List<int[]> tokens;
    private final float[] pixels;
    private final int imageSize;

    private ClipPairs(List<String> ids, List<String> captions, List<int[]> tokens, float[] pixels, int imageSize) {
        this.ids = List.copyOf(ids);
        this.captions = List.copyOf(captions);
        this.tokens = List.copyOf(tokens);
        this.pixels = pixels;
        this.imageSize = imageSize;
    }

    /**
     * Reads stage-1 style LLaVA records: the {@code image} and the first gpt turn as its caption. A record without an
     * image or a caption, or whose image is missing, unreadable or not an image, is reported to {@code report} with
     * its index and skipped.
     *
     * @param limit keep at most this many good pairs; 0 = all
     * @param imageSize the side the vision tower expects; the processor must produce it
     */
    public static ClipPairs read(Path file, ImageRoot root, BadRecordReport report, int limit,
            ClipImageProcessor images, ClipCaptionTokenizer tokenizer, int imageSize) throws IOException {
        List<LlavaRecord> records = new ArrayList<>();
        List<Long> index = new ArrayList<>();
        long i = -1;
        try (LlavaJsonReader reader = new LlavaJsonReader(file, report, root)) {
            while (reader.hasNext()) {
                LlavaRecord r = reader.next();
                i++;
                String caption = r.firstAnswer();
                if (!r.hasImage()) {
                    report.report(file, i, -1, "record " + r.id() + ": no image (a CLIP pair needs one)");
                } else if (caption == null || caption.isBlank()) {
                    report.report(file, i, -1, "record " + r.id() + ": no gpt turn to use as the caption");
                } else {
                    records.add(r);
                    index.add(i);
                }
            }
        }
        int floats = 3 * imageSize * imageSize;
        // Decoding and the CLIP transform run in parallel; problems are reported afterwards, in file order.
        String[] problems = new String[records.size()];
        float[][] decoded = new float[records.size()][];
        IntStream.range(0, records.size()).parallel().forEach(k -> {
            LlavaRecord r = records.get(k);
            try {
                float[] chw = images.preprocess(root.resolve(r.image()));
                if (chw.length != floats) {
                    problems[k] = "record " + r.id() + ": image " + r.image() + " came out as " + chw.length
                            + " values, expected 3x" + imageSize + "x" + imageSize;
                } else {
                    decoded[k] = chw;
                }
            } catch (RuntimeException e) {
                problems[k] = "record " + r.id() + ": image " + r.image() + ": " + e.getMessage();
            }
        });
        List<String> ids = new ArrayList<>(), captions = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        List<float[]> kept = new ArrayList<>();
        for (int k = 0; k < records.size(); k++) {
            if (problems[k] != null) {
                report.report(file, index.get(k), -1, problems[k]);
                continue;
            }
            if (limit > 0 && kept.size() >= limit) continue;
            LlavaRecord r = records.get(k);
            ids.add(r.id());
            captions.add(r.firstAnswer());
            tokens.add(tokenizer.tokenize(r.firstAnswer()));
            kept.add(decoded[k]);
        }
        float[] flat = new float[kept.size() * floats];
        for (int k = 0; k < kept.size(); k++) System.arraycopy(kept.get(k), 0, flat, k * floats, floats);
        return new ClipPairs(ids, captions, tokens, flat, imageSize);
    }

    public int size() {
        return ids.size();
    }

    public List<String> ids() {
        return ids;
    }

    public List<String> captions() {
        return captions;
    }

    /** The pairs at {@code rows}, in that order. */
    public ClipPairs select(int[] rows) {
        int floats = imageFloats();
        float[] px = new float[rows.length * floats];
        List<String> i = new ArrayList<>(), c = new ArrayList<>();
        List<int[]> t = new ArrayList<>();
        for (int k = 0; k < rows.length; k++) {
            i.add(ids.get(rows[k]));
            c.add(captions.get(rows[k]));
            t.add(tokens.get(rows[k]));
            System.arraycopy(pixels, rows[k] * floats, px, k * floats, floats);
        }
        return new ClipPairs(i, c, t, px, imageSize);
    }

    /** Normalised pixels {@code [rows, 3, S, S]} of the pairs at {@code rows}, in {@code m}. */
    public NDArray pixels(NDManager m, int[] rows) {
        int floats = imageFloats();
        float[] px = new float[rows.length * floats];
        for (int k = 0; k < rows.length; k++) System.arraycopy(pixels, rows[k] * floats, px, k * floats, floats);
        return m.create(px, new Shape(rows.length, 3, imageSize, imageSize));
    }

    /** The captions of the pairs at {@code rows}, right-padded, in {@code m}. */
    public ClipTextTower.TextBatch texts(NDManager m, int[] rows, ClipCaptionTokenizer tokenizer) {
        int[][] t = new int[rows.length][];
        for (int k = 0; k < rows.length; k++) t[k] = tokens.get(rows[k]);
        return tokenizer.batch(m, t);
    }

    /** Row indices {@code 0..size-1}. */
    public int[] all() {
        return IntStream.range(0, size()).toArray();
    }

    private int imageFloats() {
        return 3 * imageSize * imageSize;
    }

    @Override
    public String toString() {
        return size() + " pairs of " + imageSize + "px images";
    }
}
