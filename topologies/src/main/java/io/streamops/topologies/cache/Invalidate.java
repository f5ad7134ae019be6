package io.streamops.topologies.cache;

import io.streamops.common.Evidence;
import io.streamops.common.Mode;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.events.DbChange;
import io.streamops.events.DbOp;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.decision.EvidenceBuilder;
import io.streamops.workflows.cache.rules.CacheRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * One committed row change in, at most one invalidation out: the keys and prefixes the rules fill
 * from its before and after images, with the change as evidence (its table, key, the columns it
 * changed and its db-changes record). Snapshot reads change nothing and invalidate nothing.
 */
final class Invalidate implements Processor<String, DbChange, String, CacheInvalidation> {

    private final CacheInvalidationConfig config;
    private ProcessorContext<String, CacheInvalidation> context;

    Invalidate(CacheInvalidationConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, CacheInvalidation> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, DbChange> record) {
        DbChange change = record.value();
        if (change == null || change.getOp() == DbOp.READ) {
            return;
        }
        CacheRules.Stale stale = config.rules().stale(change).orElse(null);
        if (stale == null || stale.isEmpty()) {
            return;
        }
        Instant committed = change.getOccurredAt();
        List<String> changed = changedColumns(change);
        String summary = change.getOp() + " of " + stale.table() + " row " + change.getPrimaryKey()
                + (changed.isEmpty() ? "" : " (changed " + String.join(", ", changed) + ")")
                + ": " + stale.keys().size() + " key(s) and " + stale.prefixes().size() + " prefix(es) stale";
        EvidenceBuilder evidence = Decisions.evidence(summary)
                .measured("keys", stale.keys().size())
                .measured("prefixes", stale.prefixes().size())
                .measured("changedColumns", changed.size());
        RecordMetadata source = context.recordMetadata().orElse(null);
        if (source != null) {
            evidence.input(source.topic(), source.partition(), source.offset(), change.getEventId(), committed);
        }
        Evidence built = evidence.build();
        context.forward(new Record<>(
                stale.table(),
                CacheInvalidation.newBuilder()
                        .setEnvelope(Decisions.envelope(
                                CacheInvalidationTopology.NAME,
                                config.policy(),
                                Mode.ENFORCE,
                                committed,
                                Instant.ofEpochMilli(context.currentSystemTimeMs()),
                                built,
                                change.getEventId()))
                        .setKeys(new ArrayList<>(stale.keys()))
                        .setPrefixes(new ArrayList<>(stale.prefixes()))
                        .setSourceTable(stale.table())
                        .setCommittedAt(committed)
                        .build(),
                record.timestamp()));
    }

    /** The columns whose value differs between the images (all of them for an insert or a delete). */
    static List<String> changedColumns(DbChange change) {
        Map<String, String> before = change.getBefore();
        Map<String, String> after = change.getAfter();
        TreeSet<String> columns = new TreeSet<>();
        if (before == null || after == null) {
            return List.of();
        }
        columns.addAll(before.keySet());
        columns.addAll(after.keySet());
        columns.removeIf(c -> Objects.equals(before.get(c), after.get(c)));
        return List.copyOf(columns);
    }
}
