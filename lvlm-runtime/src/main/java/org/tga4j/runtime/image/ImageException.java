package org.tga4j.runtime.image;

/** An image that cannot be read or processed; the message names the file (or input) and what was expected. */
public final class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
