package org.tga4j.runtime.text;

/** A conversation cannot be rendered by a template, or its tokenization does not reproduce the text. */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }
}
