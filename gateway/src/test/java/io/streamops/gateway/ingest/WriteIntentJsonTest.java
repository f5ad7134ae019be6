package io.streamops.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.events.WriteIntent;
import io.vertx.core.json.JsonObject;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

/** A producer's write intent as JSON, the way it posts it to {@code /ingest/write-intents}. */
class WriteIntentJsonTest {

    @Test
    void anIncrementPostedAsJsonIsAWriteIntent() {
        JsonObject json = new JsonObject("""
                {"eventId": "w-1", "occurredAt": 1764583200000, "table": "page_hits", "op": "INCREMENT",
                 "key": {"page": "home"}, "values": {"hits": "1", "note": null}}
                """);

        GenericData.Record record = JsonToAvro.record(json, WriteIntent.getClassSchema());

        assertThat(record.get("op").toString()).isEqualTo("INCREMENT");
        assertThat(record.get("key").toString()).contains("page").contains("home");
        assertThat(record.get("values").toString()).contains("hits").contains("note");
    }
}
