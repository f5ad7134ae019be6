package io.streamops.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1 to 4 the schema id (big-endian),
 * then the Avro binary body.
 */
public final class WireFormat {

    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** The schema id of a framed record. */
    public static int schemaId(byte[] framed) {
        if (framed == null || framed.length < HEADER_SIZE) {
            throw new MalformedRecordException("record of " + (framed == null ? 0 : framed.length)
                    + " bytes is shorter than the 5-byte Confluent header");
        }
        if (framed[0] != MAGIC) {
            throw new MalformedRecordException(String.format(
                    "unknown magic byte 0x%02x: not in the Confluent wire format (expected 0x00)", framed[0]));
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    /** Writes the header for a schema id into the first five bytes of {@code target}. */
    public static void writeHeader(int schemaId, byte[] target) {
        target[0] = MAGIC;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
