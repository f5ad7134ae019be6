package io.streamops.workflows.cache.rules;

/** A rules file that cannot be used, with the line at fault. */
public final class RulesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;

    public RulesException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
