package io.streamops.topologies.batching;

import io.streamops.batching.PendingRow;
import io.streamops.common.InputRef;
import io.streamops.decisions.WriteBatch;
import io.streamops.decisions.WriteRow;
import io.streamops.events.WriteIntent;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.decision.EvidenceBuilder;
import io.streamops.workflows.batching.Coalesce;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Coalesces each row's intents in its store entry, and at every window's end forwards the rows of
 * each table as batches of at most {@code maxRows}, then empties the store. A batch's id comes from
 * its table and the ids of the intents it holds (every intent has its own): no two batches share
 * one, and the JDBC sink's ledger tells a batch delivered again from a new one.
 */
final class CoalesceRows implements Processor<String, WriteIntent, String, WriteBatch> {

    /** Intents named in a batch's evidence, per row, and per batch. */
    static final int SAMPLES = 5;

    private final WriteBatchingConfig config;
    private ProcessorContext<String, WriteBatch> context;
    private KeyValueStore<String, PendingRow> pending;
    private long windowStart;

    CoalesceRows(WriteBatchingConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, WriteBatch> context) {
        this.context = context;
        this.pending = context.getStateStore(WriteBatchingTopology.STORE);
        this.windowStart = context.currentSystemTimeMs();
        context.schedule(config.window(), PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, WriteIntent> record) {
        WriteIntent intent = record.value();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        PendingRow row = pending.get(record.key());
        if (row == null) {
            row = new PendingRow(
                    Coalesce.table(intent.getTable()),
                    null,
                    intent.getOccurredAt().toEpochMilli(),
                    0L,
                    0L,
                    new ArrayList<>());
        }
        UUID hash = UUID.nameUUIDFromBytes(intent.getEventId().getBytes(StandardCharsets.UTF_8));
        row.setIntentsHigh(row.getIntentsHigh() + hash.getMostSignificantBits());
        row.setIntentsLow(row.getIntentsLow() + hash.getLeastSignificantBits());
        row.setRow(Coalesce.apply(row.getRow(), intent));
        if (row.getSamples().size() < SAMPLES) {
            List<InputRef> samples = new ArrayList<>(row.getSamples());
            samples.add(new InputRef(
                    source.topic(), source.partition(), source.offset(), intent.getEventId(), intent.getOccurredAt()));
            row.setSamples(samples);
        }
        pending.put(record.key(), row);
    }

    private void flush(long now) {
        Map<String, List<PendingRow>> byTable = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, PendingRow> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<String, PendingRow> entry = all.next();
                keys.add(entry.key);
                byTable.computeIfAbsent(entry.value.getTable(), t -> new ArrayList<>())
                        .add(entry.value);
            }
        }
        byTable.forEach((table, rows) -> {
            for (int from = 0; from < rows.size(); from += config.maxRows()) {
                List<PendingRow> chunk = rows.subList(from, Math.min(rows.size(), from + config.maxRows()));
                // The set of the intents it holds names it: the same intents make the same batch, and no
                // other does, even after the topics were made anew and their offsets began again.
                long high = 0;
                long low = 0;
                for (PendingRow row : chunk) {
                    high += row.getIntentsHigh();
                    low += row.getIntentsLow();
                }
                String identity = table + "@" + Long.toHexString(high) + Long.toHexString(low) + "#" + chunk.size();
                context.forward(new Record<>(table, batch(table, chunk, now, identity), now));
            }
        });
        keys.forEach(pending::delete);
        windowStart = now;
    }

    private WriteBatch batch(String table, List<PendingRow> rows, long now, String identity) {
        int intents = 0;
        List<WriteRow> writes = new ArrayList<>(rows.size());
        long first = Long.MAX_VALUE;
        for (PendingRow row : rows) {
            intents += row.getRow().getIntents();
            writes.add(row.getRow());
            first = Math.min(first, row.getFirstAt());
        }
        EvidenceBuilder evidence = Decisions.evidence(String.format(
                        "%s: %d intents coalesced into %d rows (%.1f per row) over %d ms",
                        table, intents, rows.size(), intents / (double) rows.size(), now - windowStart))
                .measured("intents", intents)
                .measured("rows", rows.size())
                .threshold("windowMillis", config.window().toMillis())
                .threshold("maxRows", config.maxRows())
                .window(Instant.ofEpochMilli(windowStart), Instant.ofEpochMilli(now));
        rows.stream()
                .flatMap(r -> r.getSamples().stream())
                .limit(SAMPLES)
                .forEach(s -> evidence.input(
                        s.getTopic(), s.getPartition(), s.getOffset(), s.getEventId(), s.getEventTime()));
        return WriteBatch.newBuilder()
                .setEnvelope(Decisions.envelope(
                        WriteBatchingTopology.NAME,
                        WriteBatchingConfig.POLICY,
                        config.mode(),
                        Instant.ofEpochMilli(first),
                        Instant.ofEpochMilli(now),
                        evidence.build(),
                        identity))
                .setTable(table)
                .setKeyColumns(new ArrayList<>(new TreeMap<>(writes.get(0).getKey()).keySet()))
                .setRows(writes)
                .setCoalescedEvents(intents)
                .build();
    }
}
