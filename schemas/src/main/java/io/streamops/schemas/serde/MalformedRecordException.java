package io.streamops.schemas.serde;

/** A record's bytes cannot be decoded; the message says why, for the dead-letter topic. */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
