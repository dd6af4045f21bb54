package org.tga4j.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * FigStep-style typographic images: a prompt is word-wrapped and drawn in black on a white square, followed by empty
 * numbered steps ({@code 1.}, {@code 2.}, {@code 3.}), as FigStep renders its SafeBench instructions (760×760 there,
 * with a TrueType font; here OpenCV's Hershey font, shrunk until the text fits). Deterministic: the same text and
 * size always give the same pixels.
 */
public final class TypographicRenderer {
    private final int size;
    private final int steps;

    /**
     * @param size image side in pixels (FigStep: 760)
     * @param steps number of empty numbered steps appended (FigStep: 3; 0 for plain text)
     */
    public TypographicRenderer(int size, int steps) {
        if (size < 32) throw new IllegalArgumentException("typographic image size must be >= 32 px, got " + size);
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0");
        this.size = size;
        this.steps = steps;
    }

    public TypographicRenderer() {
        this(760, 3);
    }

    /** Renders {@code text} (plus the numbered steps) as an 8-bit BGR image; the caller releases it. */
    public Mat render(String text) {
        Images.loadOpenCv();
        Mat img = new Mat(size, size, CvType.CV_8UC3, new Scalar(255, 255, 255));
        int margin = Math.max(4, size / 20);
        int font = Imgproc.FONT_HERSHEY_SIMPLEX;
        int maxWidth = size - 2 * margin;
        for (double scale = size / 260.0; scale > 0.05; scale *= 0.9) {
            int thickness = Math.max(1, (int) Math.round(scale * 2));
            List<String> lines = wrap(text, font, scale, thickness, maxWidth);
            for (int i = 1; i <= steps; i++) lines.add(i + ".");
            int[] base = new int[1];
            Size lh = Imgproc.getTextSize("Ag", font, scale, thickness, base);
            int lineHeight = (int) Math.ceil((lh.height + base[0]) * 1.5);
            boolean tooWide = false;
            for (String l : lines) tooWide |= Imgproc.getTextSize(l, font, scale, thickness, base).width > maxWidth;
            if ((tooWide || lineHeight * lines.size() > size - 2 * margin) && scale > 0.06) continue;
            int y = margin + (int) lh.height;
            for (String l : lines) {
                Imgproc.putText(img, l, new Point(margin, y), font, scale, new Scalar(0, 0, 0), thickness, Imgproc.LINE_AA);
                y += lineHeight;
            }
            return img;
        }
        return img;
    }

    /** Renders each prompt to {@code outDir/{index}.png} (1-based, zero-padded), atomically; returns the files. */
    public List<Path> renderAll(List<String> prompts, Path outDir) throws IOException {
        List<Path> files = new ArrayList<>(prompts.size());
        int digits = Math.max(4, String.valueOf(prompts.size()).length());
        for (int i = 0; i < prompts.size(); i++) {
            Path f = outDir.resolve(String.format("%0" + digits + "d.png", i + 1));
            Mat m = render(prompts.get(i));
            try {
                Images.write(f, m);
            } finally {
                m.release();
            }
            files.add(f);
        }
        return files;
    }

    private static List<String> wrap(String text, int font, double scale, int thickness, int maxWidth) {
        List<String> lines = new ArrayList<>();
        int[] base = new int[1];
        for (String para : text.strip().split("\\R")) {
            StringBuilder cur = new StringBuilder();
            for (String word : para.trim().split("\\s+")) {
                if (word.isEmpty()) continue;
                String cand = cur.isEmpty() ? word : cur + " " + word;
                if (Imgproc.getTextSize(cand, font, scale, thickness, base).width <= maxWidth || cur.isEmpty()) {
                    cur.setLength(0);
                    cur.append(cand);
                } else {
                    lines.add(cur.toString());
                    cur.setLength(0);
                    cur.append(word);
                }
            }
            lines.add(cur.toString());
        }
        return lines;
    }
}
