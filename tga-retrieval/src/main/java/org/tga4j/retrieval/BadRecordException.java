package org.tga4j.retrieval;

/** A bad input record under {@link BadRecordPolicy#FAIL}; the message names the file and the record/line. */
public final class BadRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRecordException(String message) {
        super(message);
    }
}
