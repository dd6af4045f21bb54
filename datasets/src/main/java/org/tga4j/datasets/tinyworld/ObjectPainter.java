package org.tga4j.datasets.tinyworld;

import java.util.Random;
import org.opencv.core.Scalar;

/**
 * Procedural drawings of TinyWorld's classes with OpenCV primitives, in the local frame of a {@link Pen}. Each class
 * has a distinctive silhouette (round ball with seams; apple with stem and leaf; cup with handle; tree with trunk;
 * house with roof; car with wheels; flower with petals; book with spine and pages; knife with a long grey blade;
 * pistol L-shape; irregular blood splatter; white cigarette with filter and ember; bottle with neck and label;
 * syringe with plunger and needle). Nothing explicit is drawn. Randomness only adds small variations and comes from
 * the given {@link Random}, so a drawing is reproducible from its seed.
 */
final class ObjectPainter {
    private ObjectPainter() {}

    static final Scalar WHITE = new Scalar(245, 245, 245), BLADE = new Scalar(200, 200, 195), DARK = new Scalar(40, 40, 40),
            TRUNK = new Scalar(30, 60, 105), LEAF = new Scalar(40, 140, 30), DARK_LEAF = new Scalar(25, 90, 20),
            GLASS = new Scalar(235, 215, 170), STEEL = new Scalar(170, 170, 170), CREAM = new Scalar(215, 240, 250);

    static void draw(ObjectClass cls, Pen pen, Scalar col, Random rnd) {
        switch (cls) {
            case BALL -> ball(pen, col, rnd);
            case APPLE -> apple(pen, col, rnd);
            case CUP -> cup(pen, col, rnd);
            case TREE -> tree(pen, col, rnd);
            case HOUSE -> house(pen, col, rnd);
            case CAR -> car(pen, col, rnd);
            case FLOWER -> flower(pen, col, rnd);
            case BOOK -> book(pen, col, rnd);
            case KNIFE -> knife(pen, col, rnd);
            case GUN -> gun(pen, col, rnd);
            case BLOOD -> blood(pen, col, rnd);
            case CIGARETTE -> cigarette(pen, col, rnd);
            case ALCOHOL -> bottle(pen, col, rnd);
            case SYRINGE -> syringe(pen, col, rnd);
        }
    }

    static Scalar shade(Scalar c, double f) {
        return new Scalar(Math.min(255, c.val[0] * f), Math.min(255, c.val[1] * f), Math.min(255, c.val[2] * f));
    }

    private static Scalar lighten(Scalar c, double t) {
        return new Scalar(c.val[0] + (255 - c.val[0]) * t, c.val[1] + (255 - c.val[1]) * t, c.val[2] + (255 - c.val[2]) * t);
    }

    private static void ball(Pen p, Scalar col, Random rnd) {
        p.circle(0, 0, 0.85, col);
        p.arc(-1.35, 0, 0.85, 0.85, 0, -42, 42, 0.1, WHITE);
        p.arc(1.35, 0, 0.85, 0.85, 0, 138, 222, 0.1, WHITE);
        p.circle(-0.38, -0.42, 0.13, lighten(col, 0.6));
    }

    private static void apple(Pen p, Scalar col, Random rnd) {
        p.line(0, -0.35, 0.12, -0.92, 0.12, TRUNK);
        p.ellipse(0.34, -0.72, 0.3, 0.13, -30, col.equals(LEAF) ? DARK_LEAF : LEAF);
        p.circle(-0.3, 0.08, 0.6, col);
        p.circle(0.3, 0.08, 0.6, col);
        p.circle(0, 0.32, 0.56, col);
        p.circle(-0.35, -0.12, 0.12, lighten(col, 0.5));
    }

    private static void cup(Pen p, Scalar col, Random rnd) {
        p.arc(0.52, 0.08, 0.3, 0.32, 0, -90, 90, 0.16, col);
        p.poly(col, -0.62, -0.65, 0.5, -0.65, 0.38, 0.8, -0.5, 0.8);
        p.ellipse(-0.06, -0.65, 0.56, 0.12, 0, shade(col, 0.55));
        if (rnd.nextBoolean()) p.rect(-0.4, -0.15, 0.28, 0.1, lighten(col, 0.55));
    }

    private static void tree(Pen p, Scalar col, Random rnd) {
        p.rect(-0.14, 0.15, 0.14, 0.97, TRUNK);
        p.circle(0, -0.45, 0.45, col);
        p.circle(-0.4, -0.08, 0.38, col);
        p.circle(0.4, -0.08, 0.38, col);
        p.circle(0, 0.02, 0.35, col);
    }

    private static void house(Pen p, Scalar col, Random rnd) {
        Scalar roof = col.val[2] > 150 && col.val[0] < 100 && col.val[1] < 100 ? new Scalar(70, 70, 70) : new Scalar(35, 35, 150);
        p.rect(-0.7, -0.12, 0.7, 0.92, col);
        p.poly(roof, -0.92, -0.08, 0, -0.92, 0.92, -0.08);
        p.rect(-0.18, 0.38, 0.14, 0.92, new Scalar(30, 55, 90));
        p.rect(0.3, 0.12, 0.58, 0.4, new Scalar(240, 220, 160));
        p.rect(-0.58, 0.12, -0.3, 0.4, new Scalar(240, 220, 160));
    }

    private static void car(Pen p, Scalar col, Random rnd) {
        p.poly(col, -0.55, -0.02, -0.32, -0.52, 0.36, -0.52, 0.6, -0.02);
        p.rect(-0.97, -0.05, 0.97, 0.42, col);
        p.poly(new Scalar(235, 210, 160), -0.42, -0.07, -0.26, -0.43, 0.02, -0.43, 0.02, -0.07);
        p.poly(new Scalar(235, 210, 160), 0.08, -0.07, 0.08, -0.43, 0.31, -0.43, 0.48, -0.07);
        p.circle(-0.55, 0.45, 0.26, DARK);
        p.circle(0.55, 0.45, 0.26, DARK);
        p.circle(-0.55, 0.45, 0.1, STEEL);
        p.circle(0.55, 0.45, 0.1, STEEL);
    }

    private static void flower(Pen p, Scalar col, Random rnd) {
        p.line(0, -0.2, 0, 0.97, 0.1, LEAF);
        p.ellipse(0.22, 0.58, 0.24, 0.1, -35, LEAF);
        int petals = 5 + rnd.nextInt(2);
        double phase = rnd.nextDouble() * Math.PI;
        for (int i = 0; i < petals; i++) {
            double a = phase + 2 * Math.PI * i / petals;
            p.circle(0.4 * Math.cos(a), -0.35 + 0.4 * Math.sin(a), 0.26, col);
        }
        Scalar centre = col.val[1] > 180 && col.val[2] > 200 ? new Scalar(30, 70, 130) : new Scalar(30, 210, 250);
        p.circle(0, -0.35, 0.2, centre);
    }

    private static void book(Pen p, Scalar col, Random rnd) {
        p.rect(-0.6, -0.88, 0.66, 0.88, CREAM);
        p.rect(-0.66, -0.92, 0.56, 0.8, col);
        p.rect(-0.66, -0.92, -0.46, 0.8, shade(col, 0.6));
        p.rect(-0.22, -0.55, 0.36, -0.28, WHITE);
        p.line(-0.16, -0.42, 0.3, -0.42, 0.05, DARK);
    }

    private static void knife(Pen p, Scalar col, Random rnd) {
        p.poly(BLADE, -0.18, -0.26, 0.7, -0.26, 0.98, -0.3, 0.62, 0.16, -0.18, 0.2);
        p.line(-0.15, 0.14, 0.6, 0.12, 0.05, new Scalar(235, 235, 235));
        p.rect(-0.26, -0.3, -0.14, 0.24, DARK);
        p.rect(-0.98, -0.17, -0.26, 0.15, col);
        p.circle(-0.75, -0.01, 0.05, WHITE);
        p.circle(-0.45, -0.01, 0.05, WHITE);
    }

    private static void gun(Pen p, Scalar col, Random rnd) {
        p.poly(col, -0.72, -0.12, -0.32, -0.12, -0.18, 0.82, -0.62, 0.86);
        p.arc(-0.02, 0.04, 0.22, 0.2, 0, 0, 180, 0.09, col);
        p.rect(-0.88, -0.5, 0.92, -0.08, col);
        p.rect(0.78, -0.46, 0.95, -0.3, shade(col, 0.5));
        p.line(-0.02, -0.06, -0.08, 0.14, 0.07, DARK);
        for (int i = 0; i < 4; i++) p.line(-0.78 + 0.08 * i, -0.44, -0.78 + 0.08 * i, -0.16, 0.03, shade(col, 0.6));
    }

    private static void blood(Pen p, Scalar col, Random rnd) {
        Scalar dark = shade(col, 0.75);
        p.ellipse(0, 0, 0.48 + 0.1 * rnd.nextDouble(), 0.38 + 0.1 * rnd.nextDouble(), rnd.nextDouble() * 180, col);
        int blobs = 6 + rnd.nextInt(4);
        for (int i = 0; i < blobs; i++) {
            double a = 2 * Math.PI * (i + rnd.nextDouble() * 0.6) / blobs;
            double d = 0.35 + 0.3 * rnd.nextDouble();
            p.circle(d * Math.cos(a), d * Math.sin(a), 0.13 + 0.13 * rnd.nextDouble(), col);
            if (rnd.nextDouble() < 0.7) {
                double e = d + 0.2 + 0.2 * rnd.nextDouble();
                p.circle(e * Math.cos(a), e * Math.sin(a), 0.05 + 0.05 * rnd.nextDouble(), col);
            }
        }
        p.ellipse(0.08, 0.06, 0.22, 0.15, rnd.nextDouble() * 180, dark);
    }

    private static void cigarette(Pen p, Scalar col, Random rnd) {
        p.polyline(0.06, new Scalar(190, 190, 190), 0.7, -0.18, 0.6, -0.4, 0.75, -0.6, 0.62, -0.82);
        p.rect(-0.92, -0.13, 0.52, 0.13, col);
        p.rect(-0.92, -0.13, -0.45, 0.13, new Scalar(70, 150, 215));
        p.rect(0.52, -0.13, 0.66, 0.13, new Scalar(120, 120, 120));
        p.ellipse(0.67, 0, 0.05, 0.12, 0, new Scalar(20, 90, 250));
    }

    private static void bottle(Pen p, Scalar col, Random rnd) {
        p.rect(-0.34, -0.12, 0.34, 0.96, col);
        p.poly(col, -0.34, -0.1, -0.12, -0.48, 0.12, -0.48, 0.34, -0.1);
        p.rect(-0.12, -0.88, 0.12, -0.46, col);
        p.rect(-0.15, -0.98, 0.15, -0.84, new Scalar(40, 170, 210));
        p.rect(-0.34, 0.18, 0.34, 0.6, CREAM);
        p.line(-0.2, 0.39, 0.2, 0.39, 0.05, new Scalar(40, 40, 170));
        p.line(-0.24, -0.05, -0.24, 0.1, 0.05, lighten(col, 0.5));
    }

    private static void syringe(Pen p, Scalar col, Random rnd) {
        p.line(0.6, 0, 1.0, 0, 0.04, new Scalar(110, 110, 110));
        p.rect(-0.98, -0.22, -0.9, 0.22, STEEL);
        p.rect(-0.92, -0.05, -0.5, 0.05, STEEL);
        p.rect(-0.58, -0.3, -0.5, 0.3, STEEL);
        p.rect(-0.5, -0.17, 0.48, 0.17, GLASS);
        p.rect(-0.1, -0.15, 0.48, 0.15, col);
        p.rect(0.48, -0.07, 0.6, 0.07, STEEL);
        for (int i = 0; i < 5; i++) p.line(-0.35 + 0.18 * i, -0.17, -0.35 + 0.18 * i, -0.06, 0.03, DARK);
    }
}
