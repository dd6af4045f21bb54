package org.tga4j.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of files, folders and model weights, for the reproducibility manifest. */
public final class Hashing {
    private Hashing() {}

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // reading updates the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("hashing " + file + ": " + e.getMessage(), e);
        }
    }

    /** Hex SHA-256 of a string (UTF-8). */
    public static String sha256(String s) {
        return HexFormat.of().formatHex(digest().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A file's SHA-256, or for a folder the SHA-256 of the lines {@code relative/path sha256} of every regular file
     * under it, sorted by path.
     */
    public static String sha256Tree(Path path) {
        if (Files.isRegularFile(path)) return sha256(path);
        try (Stream<Path> s = Files.walk(path)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
            StringBuilder b = new StringBuilder();
            for (Path f : files) {
                b.append(path.relativize(f).toString().replace('\\', '/')).append(' ').append(sha256(f)).append('\n');
            }
            return sha256(b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("hashing " + path + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 over the model's weight files ({@code *.safetensors}, sorted by name) as {@link #sha256Tree} lines. */
    public static String modelWeights(Path modelDir) {
        if (!Files.isDirectory(modelDir)) throw new IllegalArgumentException(modelDir + " is not a model directory");
        try (Stream<Path> s = Files.list(modelDir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            if (files.isEmpty()) throw new IllegalArgumentException(modelDir + " has no *.safetensors weight file");
            StringBuilder b = new StringBuilder();
            for (Path f : files) b.append(f.getFileName()).append(' ').append(sha256(f)).append('\n');
            return sha256(b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + modelDir + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
