package org.tga4j.datasets;

import java.nio.file.Path;

/** A dataset file (or one record in it) does not have the expected format. The message names the file and record. */
public class DatasetFormatException extends RuntimeException {
    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A message of the form {@code file: record N (line L): problem}. */
    public static DatasetFormatException at(Path file, long index, long line, String problem) {
        return new DatasetFormatException(BadRecord.describe(file, index, line, problem));
    }
}
