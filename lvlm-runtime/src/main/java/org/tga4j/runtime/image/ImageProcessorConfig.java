package org.tga4j.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * The settings of Hugging Face's {@code CLIPImageProcessor}, as found in a model's {@code preprocessor_config.json},
 * plus LLaVA's {@code image_aspect_ratio: pad} as {@code padToSquare}.
 *
 * @param cropHeight    {@code crop_size} height (or the int value)
 * @param cropWidth     {@code crop_size} width (or the int value)
 * @param shortestEdge  {@code size.shortest_edge} (or the int value): the shorter side after resizing
 * @param doResize      {@code do_resize}
 * @param doCenterCrop  {@code do_center_crop}
 * @param doRescale     {@code do_rescale}
 * @param rescaleFactor {@code rescale_factor} (1/255)
 * @param doNormalize   {@code do_normalize}
 * @param imageMean     {@code image_mean}, RGB
 * @param imageStd      {@code image_std}, RGB
 * @param doConvertRgb  {@code do_convert_rgb}
 * @param padToSquare   LLaVA {@code image_aspect_ratio == "pad"}: pad to a square with the mean colour first
 */
public record ImageProcessorConfig(int cropHeight, int cropWidth, int shortestEdge, boolean doResize,
                                   boolean doCenterCrop, boolean doRescale, double rescaleFactor, boolean doNormalize,
                                   float[] imageMean, float[] imageStd, boolean doConvertRgb, boolean padToSquare) {
    /** OpenAI CLIP's normalisation constants (RGB). */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageProcessorConfig {
        Objects.requireNonNull(imageMean, "imageMean");
        Objects.requireNonNull(imageStd, "imageStd");
        if (imageMean.length != 3 || imageStd.length != 3) {
            throw new IllegalArgumentException("image_mean and image_std need 3 (RGB) values, got "
                    + Arrays.toString(imageMean) + " and " + Arrays.toString(imageStd));
        }
        for (float s : imageStd) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("image_std values must be positive, got " + Arrays.toString(imageStd));
            }
        }
        if ((doCenterCrop && (cropHeight <= 0 || cropWidth <= 0)) || (doResize && shortestEdge <= 0)) {
            throw new IllegalArgumentException("crop size " + cropHeight + "x" + cropWidth + " and shortest edge "
                    + shortestEdge + " must be positive when used");
        }
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
    }

    /** The processor of OpenAI CLIP ViT models at {@code size} pixels (224 for ViT-L/14, 336 for ViT-L/14-336). */
    public static ImageProcessorConfig clip(int size) {
        return new ImageProcessorConfig(size, size, size, true, true, true, 1.0 / 255, true, CLIP_MEAN, CLIP_STD, true,
                false);
    }

    /** A copy with {@code padToSquare} set. */
    public ImageProcessorConfig withPadToSquare(boolean pad) {
        return new ImageProcessorConfig(cropHeight, cropWidth, shortestEdge, doResize, doCenterCrop, doRescale,
                rescaleFactor, doNormalize, imageMean, imageStd, doConvertRgb, pad);
    }

    @Override
    public float[] imageMean() {
        return imageMean.clone();
    }

    @Override
    public float[] imageStd() {
        return imageStd.clone();
    }

    /**
     * Reads a Hugging Face {@code preprocessor_config.json}. Missing keys take CLIPImageProcessor's defaults
     * (224, OpenAI mean/std, every step on). {@code padToSquare} is read from a non-standard
     * {@code "image_aspect_ratio": "pad"} key when present, else false.
     *
     * @throws ImageException naming the file and key when the file is missing or a value has the wrong type
     */
    public static ImageProcessorConfig load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ImageException("preprocessor config " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ImageException("preprocessor config " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ImageException("preprocessor config " + file + " must be a JSON object");
        }
        String type = root.path("image_processor_type").asText(root.path("feature_extractor_type").asText(""));
        if (!type.isEmpty() && !type.startsWith("CLIP")) {
            throw new ImageException("preprocessor config " + file + " is for '" + type
                    + "'; only CLIPImageProcessor (or CLIPFeatureExtractor) settings are supported");
        }
        int[] crop = hw(file, root, "crop_size", new int[] {224, 224});
        int shortest = shortestEdge(file, root);
        return new ImageProcessorConfig(crop[0], crop[1], shortest,
                bool(file, root, "do_resize", true), bool(file, root, "do_center_crop", true),
                bool(file, root, "do_rescale", true), number(file, root, "rescale_factor", 1.0 / 255),
                bool(file, root, "do_normalize", true), floats(file, root, "image_mean", CLIP_MEAN),
                floats(file, root, "image_std", CLIP_STD), bool(file, root, "do_convert_rgb", true),
                "pad".equals(root.path("image_aspect_ratio").asText()));
    }

    /** Writes a {@code preprocessor_config.json} that transformers' CLIPImageProcessor reads (atomically). */
    public void save(Path file) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("crop_size").put("height", cropHeight).put("width", cropWidth);
        o.put("do_center_crop", doCenterCrop);
        o.put("do_convert_rgb", doConvertRgb);
        o.put("do_normalize", doNormalize);
        o.put("do_rescale", doRescale);
        o.put("do_resize", doResize);
        ArrayNode mean = o.putArray("image_mean");
        for (float v : imageMean) {
            mean.add(v);
        }
        o.put("image_processor_type", "CLIPImageProcessor");
        ArrayNode std = o.putArray("image_std");
        for (float v : imageStd) {
            std.add(v);
        }
        o.put("resample", 3); // PIL.Image.BICUBIC
        o.put("rescale_factor", rescaleFactor);
        o.putObject("size").put("shortest_edge", shortestEdge);
        if (padToSquare) {
            o.put("image_aspect_ratio", "pad");
        }
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            Files.write(tmp, JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(o));
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new ImageException("cannot write preprocessor config " + file + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort cleanup of our own temp file
                }
            }
        }
    }

    private static int[] hw(Path file, JsonNode root, String key, int[] dflt) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.isInt()) {
            return new int[] {n.asInt(), n.asInt()};
        }
        if (n.isObject() && n.path("height").isInt() && n.path("width").isInt()) {
            return new int[] {n.get("height").asInt(), n.get("width").asInt()};
        }
        throw new ImageException("preprocessor config " + file + ": \"" + key
                + "\" must be an int or {\"height\": int, \"width\": int}, found " + n);
    }

    private static int shortestEdge(Path file, JsonNode root) {
        JsonNode n = root.get("size");
        if (n == null || n.isNull()) {
            return 224;
        }
        if (n.isInt()) {
            return n.asInt();
        }
        if (n.isObject() && n.path("shortest_edge").isInt()) {
            return n.get("shortest_edge").asInt();
        }
        throw new ImageException("preprocessor config " + file
                + ": \"size\" must be an int or {\"shortest_edge\": int} (CLIPImageProcessor resizes the shortest edge)"
                + ", found " + n);
    }

    private static boolean bool(Path file, JsonNode root, String key, boolean dflt) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new ImageException("preprocessor config " + file + ": \"" + key + "\" must be true or false, found " + n);
        }
        return n.asBoolean();
    }

    private static double number(Path file, JsonNode root, String key, double dflt) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new ImageException("preprocessor config " + file + ": \"" + key + "\" must be a number, found " + n);
        }
        return n.asDouble();
    }

    private static float[] floats(Path file, JsonNode root, String key, float[] dflt) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isArray() || n.size() != 3) {
            throw new ImageException("preprocessor config " + file + ": \"" + key
                    + "\" must be an array of 3 numbers (RGB), found " + n);
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            if (!n.get(i).isNumber()) {
                throw new ImageException("preprocessor config " + file + ": \"" + key + "\" must hold numbers, found " + n);
            }
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageProcessorConfig c && cropHeight == c.cropHeight && cropWidth == c.cropWidth
                && shortestEdge == c.shortestEdge && doResize == c.doResize && doCenterCrop == c.doCenterCrop
                && doRescale == c.doRescale && Double.compare(rescaleFactor, c.rescaleFactor) == 0
                && doNormalize == c.doNormalize && Arrays.equals(imageMean, c.imageMean)
                && Arrays.equals(imageStd, c.imageStd) && doConvertRgb == c.doConvertRgb
                && padToSquare == c.padToSquare;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cropHeight, cropWidth, shortestEdge, doResize, doCenterCrop, doRescale, rescaleFactor,
                doNormalize, Arrays.hashCode(imageMean), Arrays.hashCode(imageStd), doConvertRgb, padToSquare);
    }

    @Override
    public String toString() {
        return "ImageProcessorConfig[crop=" + cropHeight + "x" + cropWidth + ", shortestEdge=" + shortestEdge
                + ", resize=" + doResize + ", centerCrop=" + doCenterCrop + ", rescale=" + doRescale + " ("
                + rescaleFactor + "), normalize=" + doNormalize + " mean=" + Arrays.toString(imageMean) + " std="
                + Arrays.toString(imageStd) + ", convertRgb=" + doConvertRgb + ", padToSquare=" + padToSquare + "]";
    }
}
