package org.tga4j.datasets.tinyworld;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.tga4j.datasets.Images;

/**
 * A PNG a person can look at: one row per class (label on the left), each with {@code perClass} single-object
 * renderings in random colours and poses, upscaled with nearest-neighbour so the real pixels stay visible.
 */
public final class ContactSheet {
    private ContactSheet() {}

    /** Writes the class sheet; returns nothing but the file. */
    public static void writeClassSheet(Path file, int size, int perClass, long seed, int zoom) throws IOException {
        Images.loadOpenCv();
        SceneRenderer renderer = new SceneRenderer(size);
        int labelW = 150, cell = size * zoom, pad = 4;
        ObjectClass[] classes = ObjectClass.values();
        Mat sheet = new Mat(classes.length * (cell + pad) + pad, labelW + perClass * (cell + pad) + pad, CvType.CV_8UC3,
                new Scalar(255, 255, 255));
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int r = 0; r < classes.length; r++) {
            ObjectClass c = classes[r];
            int y = pad + r * (cell + pad);
            Imgproc.putText(sheet, c.key() + (c.hazardous ? " (H)" : ""), new Point(6, y + cell / 2.0 + 6),
                    Imgproc.FONT_HERSHEY_SIMPLEX, 0.55, new Scalar(0, 0, 0), 1, Imgproc.LINE_AA);
            for (int k = 0; k < perClass; k++) {
                Colour col = c.colours.get(rnd.nextInt(c.colours.size()));
                Position pos = k % 2 == 0 ? Position.CENTER : Position.QUADRANTS.get(rnd.nextInt(4));
                Scene s = new Scene("sheet", Split.TRAIN, List.of(new SceneObject(c, col, pos)), rnd.nextLong());
                Mat img = renderer.render(s);
                Mat up = new Mat();
                Imgproc.resize(img, up, new Size(cell, cell), 0, 0, Imgproc.INTER_NEAREST);
                up.copyTo(sheet.submat(new Rect(labelW + pad + k * (cell + pad), y, cell, cell)));
                img.release();
                up.release();
            }
        }
        try {
            Images.write(file, sheet);
        } finally {
            sheet.release();
        }
    }

    /** Writes a grid of already rendered scenes (e.g. the first training images). */
    public static void writeSceneSheet(Path file, List<Scene> scenes, int size, int columns, int zoom) throws IOException {
        Images.loadOpenCv();
        SceneRenderer renderer = new SceneRenderer(size);
        int cell = size * zoom, pad = 4, rows = (scenes.size() + columns - 1) / columns;
        Mat sheet = new Mat(Math.max(1, rows) * (cell + pad) + pad, columns * (cell + pad) + pad, CvType.CV_8UC3,
                new Scalar(255, 255, 255));
        for (int i = 0; i < scenes.size(); i++) {
            Mat img = renderer.render(scenes.get(i));
            Mat up = new Mat();
            Imgproc.resize(img, up, new Size(cell, cell), 0, 0, Imgproc.INTER_NEAREST);
            up.copyTo(sheet.submat(new Rect(pad + (i % columns) * (cell + pad), pad + (i / columns) * (cell + pad), cell, cell)));
            img.release();
            up.release();
        }
        try {
            Images.write(file, sheet);
        } finally {
            sheet.release();
        }
    }
}
