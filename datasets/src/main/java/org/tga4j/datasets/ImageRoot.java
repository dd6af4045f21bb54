package org.tga4j.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The folder that image paths in a dataset file are relative to. Every reader resolves image paths through
 * {@link #resolve(String)}, which only ever returns paths inside the root: absolute paths, {@code ..} segments that
 * climb out, and symbolic links that point outside are rejected before anything is read.
 */
public final class ImageRoot {
    private final Path root;

    public ImageRoot(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public Path path() {
        return root;
    }

    /**
     * Resolves a dataset-relative image path.
     *
     * @param relative the path as written in the dataset file, with {@code /} (or {@code \}) separators
     * @return the absolute, normalised path inside the root (the file need not exist)
     * @throws PathEscapeException when the path is empty, absolute, or escapes the root
     */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank()) throw new PathEscapeException("empty image path (image root " + root + ")");
        if (relative.indexOf('\0') >= 0) throw new PathEscapeException("image path contains a NUL character: " + relative);
        String p = relative.replace('\\', '/');
        if (p.startsWith("/") || p.matches("^[A-Za-z]:.*") || Path.of(p).isAbsolute()) {
            throw new PathEscapeException("absolute image path \"" + relative + "\" rejected: image paths must be relative to " + root);
        }
        Path resolved = root.resolve(p).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new PathEscapeException("image path \"" + relative + "\" escapes the image root " + root);
        }
        if (Files.exists(resolved)) {
            try {
                Path realRoot = root.toRealPath();
                if (!resolved.toRealPath().startsWith(realRoot)) {
                    throw new PathEscapeException("image path \"" + relative + "\" links outside the image root " + root);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot check image path " + resolved, e);
            }
        }
        return resolved;
    }

    /** The path of {@code file} relative to this root, with {@code /} separators (for writing dataset files). */
    public String relativize(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!abs.startsWith(root)) throw new PathEscapeException(file + " is not inside the image root " + root);
        return root.relativize(abs).toString().replace('\\', '/');
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
