package io.streamops.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

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

    /** A record in the wire format: header with the schema id, then the writer's Avro binary. */
    public static <T> byte[] frame(int schemaId, DatumWriter<T> writer, T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] header = new byte[HEADER_SIZE];
        writeHeader(schemaId, header);
        out.writeBytes(header);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
