package io.streamops.topologies.ratelimit;

import io.streamops.ratelimit.RateLimitPolicy;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the latest policy of each domain in the operator's global store (a tombstone removes one). */
final class PolicyStoreUpdater implements Processor<String, RateLimitPolicy, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, RateLimitPolicy> store;

    PolicyStoreUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, RateLimitPolicy> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
