package org.tga4j.projector;

/** The loss (or the gradient norm) became NaN or infinite; the run stopped and the last good checkpoint is kept. */
public final class NonFiniteLossException extends RuntimeException {
    private final int step;

    public NonFiniteLossException(String message, int step) {
        super(message);
        this.step = step;
    }

    /** The optimiser step (0-based) at which the value went non-finite. */
    public int step() {
        return step;
    }
}
