package org.tga4j.runtime.weights;

/**
 * A checkpoint or safetensors file that cannot be read as expected. The message always names the file (and the
 * tensor, when one is concerned) and says what was expected and what was found.
 */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
