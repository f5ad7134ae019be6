package io.streamops.jobs.loganomaly;

import io.streamops.events.LogEvent;
import io.streamops.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;

/** Writes log events as a producer on a later schema version would. */
final class EvolvedLogs {

    private EvolvedLogs() {}

    static byte[] encode(Schema evolved, int schemaId, LogEvent event) throws IOException {
        GenericRecord record = new GenericData.Record(evolved);
        for (Schema.Field field : LogEvent.getClassSchema().getFields()) {
            Object value = event.get(field.name());
            record.put(field.name(), SpecificData.get().deepCopy(field.schema(), value));
        }
        record.put("region", "eu-west");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(schemaId, header);
        out.write(header);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(evolved, SpecificData.get()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
