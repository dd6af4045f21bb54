package org.tga4j.datasets;

import java.nio.file.Path;

/** An image file cannot be used: unreadable, empty, corrupt, an unsupported format, or absurdly large. Names the file. */
public class ImageValidationException extends RuntimeException {
    private final transient Path file;

    public ImageValidationException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImageValidationException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
