package org.tga4j.datasets;

/** A dataset file names an image path that would leave its image root ({@code ../}, absolute, or a symlink out). */
public class PathEscapeException extends IllegalArgumentException {
    public PathEscapeException(String message) {
        super(message);
    }
}
