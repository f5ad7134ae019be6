package io.streamops.workflows.ratelimit.policy;

/** A policy file that cannot be used, with the line at fault: it is refused, and the running policy stays. */
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
