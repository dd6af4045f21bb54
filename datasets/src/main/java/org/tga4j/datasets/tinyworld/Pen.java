package org.tga4j.datasets.tinyworld;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Draws primitives in an object's local frame: {@code u, v} in [-1, 1] (v down), scaled by the object's half
 * extent, rotated and moved to its centre. An object is drawn twice: first in outline mode, where every primitive is
 * grown by the stroke width and painted in the outline colour, then normally; this gives each object a clean dark
 * silhouette outline, which keeps light objects visible on light backgrounds.
 */
final class Pen {
    private static final Scalar OUTLINE = new Scalar(25, 25, 25);

    private final Mat img;
    private final double cx, cy, r, cos, sin, angleDeg, stroke;
    private boolean outline;

    Pen(Mat img, double cx, double cy, double halfExtent, double angleDeg, double stroke) {
        this.img = img;
        this.cx = cx;
        this.cy = cy;
        this.r = halfExtent;
        this.angleDeg = angleDeg;
        this.cos = Math.cos(Math.toRadians(angleDeg));
        this.sin = Math.sin(Math.toRadians(angleDeg));
        this.stroke = stroke;
    }

    void outlineMode(boolean on) {
        this.outline = on;
    }

    Point p(double u, double v) {
        return new Point(cx + r * (u * cos - v * sin), cy + r * (u * sin + v * cos));
    }

    private Scalar c(Scalar fill) {
        return outline ? OUTLINE : fill;
    }

    private double grow() {
        return outline ? stroke : 0;
    }

    void circle(double u, double v, double rad, Scalar fill) {
        Imgproc.circle(img, p(u, v), (int) Math.round(rad * r + grow()), c(fill), -1, Imgproc.LINE_AA);
    }

    /** Filled ellipse with semi-axes {@code a, b} and a rotation in the local frame. */
    void ellipse(double u, double v, double a, double b, double localAngle, Scalar fill) {
        Imgproc.ellipse(img, p(u, v), new Size(a * r + grow(), b * r + grow()), angleDeg + localAngle, 0, 360, c(fill), -1,
                Imgproc.LINE_AA);
    }

    /** Elliptic arc (a ring segment) of line width {@code w}. */
    void arc(double u, double v, double a, double b, double localAngle, double from, double to, double w, Scalar col) {
        int t = Math.max(1, (int) Math.round(w * r + 2 * grow()));
        Imgproc.ellipse(img, p(u, v), new Size(a * r, b * r), angleDeg + localAngle, from, to, c(col), t, Imgproc.LINE_AA);
    }

    void line(double u1, double v1, double u2, double v2, double w, Scalar col) {
        int t = Math.max(1, (int) Math.round(w * r + 2 * grow()));
        Imgproc.line(img, p(u1, v1), p(u2, v2), c(col), t, Imgproc.LINE_AA);
    }

    /** Open polyline through {@code uv} pairs. */
    void polyline(double w, Scalar col, double... uv) {
        int t = Math.max(1, (int) Math.round(w * r + 2 * grow()));
        Imgproc.polylines(img, List.of(points(uv)), false, c(col), t, Imgproc.LINE_AA);
    }

    /** Filled polygon through {@code uv} pairs. */
    void poly(Scalar fill, double... uv) {
        MatOfPoint pts = points(uv);
        List<MatOfPoint> l = new ArrayList<>(List.of(pts));
        if (outline) Imgproc.polylines(img, l, true, OUTLINE, Math.max(1, (int) Math.round(2 * stroke)), Imgproc.LINE_AA);
        Imgproc.fillPoly(img, l, c(fill), Imgproc.LINE_AA);
        pts.release();
    }

    void rect(double u0, double v0, double u1, double v1, Scalar fill) {
        poly(fill, u0, v0, u1, v0, u1, v1, u0, v1);
    }

    private MatOfPoint points(double... uv) {
        Point[] pts = new Point[uv.length / 2];
        for (int i = 0; i < pts.length; i++) pts[i] = p(uv[2 * i], uv[2 * i + 1]);
        return new MatOfPoint(pts);
    }
}
