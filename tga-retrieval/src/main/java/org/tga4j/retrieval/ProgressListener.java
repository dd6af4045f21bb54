package org.tga4j.retrieval;

/** Progress of a long job, in input bytes consumed (so a streaming job can show an ETA without counting records first). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {};

    /** Called from the reading thread: {@code done} of {@code total} bytes consumed. */
    void progress(long done, long total);
}
