package org.tga4j.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.LlavaRecord;

/**
 * The captions of images, looked up by record, for TGA's {@code image_caption} of instruction data. A stage-1 record
 * (LCS-558K style) carries its image's caption as the first gpt turn, but an instruction record does not: its first
 * answer is "Yes." or a colour, and a caption target made of it would align the image with the wrong text. The paper's
 * stage 2 takes the caption of the record's image instead; this class supplies it from caption files.
 *
 * <p>A record's caption is the one whose id equals the record's id, else the one whose id equals the record's image
 * file name without its extension (mix-665K's {@code coco/train2017/000000033471.jpg} finds id {@code 000000033471}).
 */
public final class ImageCaptions {
    private final Map<String, String> byId;
    private final List<Path> files;

    private ImageCaptions(Map<String, String> byId, List<Path> files) {
        this.byId = byId;
        this.files = List.copyOf(files);
    }

    /**
     * Reads caption files in the formats {@code tga index} takes (JSONL {@code {"id","text"}} / {@code {"id","contents"}},
     * or LLaVA JSON whose first gpt turn is the caption). A later file's caption replaces an earlier one with the same
     * id. Bad records go to {@code bad} (skipped and counted, or thrown when it is failing).
     */
    public static ImageCaptions read(List<Path> files, BadRecordReport bad) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no caption files given");
        Map<String, String> byId = new HashMap<>();
        for (Path f : files) {
            CaptionFiles.source(f, bad, 0, 1, ProgressListener.NONE).forEach(r -> byId.put(r.id(), r.text()));
        }
        return new ImageCaptions(byId, files);
    }

    /** The caption of the record's image, or {@code null} when no caption file has it. */
    public String captionFor(LlavaRecord r) {
        String c = byId.get(r.id());
        if (c == null && r.image() != null) c = byId.get(stem(r.image()));
        return c;
    }

    /** Why {@link #captionFor} found nothing, naming what was looked up and where. */
    String missing(LlavaRecord r) {
        return "no caption for id '" + r.id() + "'" + (r.image() == null ? "" : " or image '" + stem(r.image()) + "'")
                + " in " + files;
    }

    public int size() {
        return byId.size();
    }

    private static String stem(String imagePath) {
        String name = imagePath.substring(Math.max(imagePath.lastIndexOf('/'), imagePath.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
