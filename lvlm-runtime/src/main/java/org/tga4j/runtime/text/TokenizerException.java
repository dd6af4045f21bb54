package org.tga4j.runtime.text;

/** A tokenizer file is missing, unreadable or malformed; the message names the file and what was expected. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
