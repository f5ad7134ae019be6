package io.streamops.topologies.cache;

import io.streamops.cache.CacheFill;
import io.streamops.cache.CacheRouteWindow;
import io.streamops.decisions.CacheInvalidation;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Marks the fills an invalidation evicted (its keys, and every key under its prefixes), so that the
 * next miss of such a key counts as the change stream's and not the TTL's, and records on each of
 * their routes that the change stream keeps it fresh. Cache keys carry their query string; the
 * operator's keys are paths, so a key is matched by its path.
 */
final class MarkInvalidated implements Processor<String, CacheInvalidation, Void, Void> {

    private static final StringSerializer KEYS = new StringSerializer();

    private KeyValueStore<String, CacheFill> fills;
    private KeyValueStore<String, CacheRouteWindow> routes;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.fills = context.getStateStore(CacheTtlTopology.FILLS);
        this.routes = context.getStateStore(CacheTtlTopology.ROUTES);
    }

    @Override
    public void process(Record<String, CacheInvalidation> record) {
        CacheInvalidation invalidation = record.value();
        if (invalidation == null) {
            return;
        }
        long at = record.timestamp();
        for (String key : invalidation.getKeys()) {
            String path = path(key);
            CacheFill fill = fills.get(path);
            if (fill != null) {
                mark(path, fill, at);
            }
        }
        for (String prefix : invalidation.getPrefixes()) {
            String path = path(prefix);
            if (!path.equals(prefix)) {
                // A prefix with a query string ("/list?category=books") evicts keys of that one path.
                CacheFill fill = fills.get(path);
                if (fill != null) {
                    mark(path, fill, at);
                }
                continue;
            }
            List<KeyValue<String, CacheFill>> under = new ArrayList<>();
            try (KeyValueIterator<String, CacheFill> it = fills.prefixScan(prefix, KEYS)) {
                it.forEachRemaining(under::add);
            }
            for (KeyValue<String, CacheFill> entry : under) {
                mark(entry.key, entry.value, at);
            }
        }
    }

    /** A cache key or prefix without its query string: the operator's key. */
    private static String path(String key) {
        int query = key.indexOf('?');
        return query < 0 ? key : key.substring(0, query);
    }

    private void mark(String key, CacheFill fill, long at) {
        // An invalidation that committed before the fill did not evict it.
        if (at < fill.getFilledAt()) {
            return;
        }
        fill.setInvalidatedAt(at);
        fills.put(key, fill);
        CacheRouteWindow window = routes.get(fill.getRoute());
        if (window != null && window.getLastInvalidatedAt() < at) {
            window.setLastInvalidatedAt(at);
            routes.put(fill.getRoute(), window);
        }
    }
}
