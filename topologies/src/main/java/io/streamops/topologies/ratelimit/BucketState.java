package io.streamops.topologies.ratelimit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the operator keeps per bucket, in event time (nanoseconds): the global GCRA's TAT, until when
 * the bucket is limited and throttled (so that one of each is decided per episode), the requests
 * admitted and refused in the current unit (for the evidence), and when each gateway last sent one. Its own small binary
 * form: it never leaves the operator (store and changelog).
 */
final class BucketState {

    long tat = Long.MIN_VALUE;
    long limitedUntil = Long.MIN_VALUE;
    long period;
    long windowStart;
    long windowCount;
    long windowRefused;
    long throttledUntil = Long.MIN_VALUE;
    final Map<String, Long> instances = new TreeMap<>();

    static Serde<BucketState> serde() {
        Serializer<BucketState> serializer = (topic, s) -> s == null ? null : s.bytes();
        Deserializer<BucketState> deserializer = (topic, bytes) -> bytes == null ? null : of(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** Whether nothing of it matters any more at {@code now}: the TAT has passed and no limit is live. */
    boolean lapsed(long now) {
        return tat < now - period && limitedUntil < now && throttledUntil < now;
    }

    private byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (DataOutputStream data = new DataOutputStream(out)) {
            data.writeLong(tat);
            data.writeLong(limitedUntil);
            data.writeLong(period);
            data.writeLong(windowStart);
            data.writeLong(windowCount);
            data.writeLong(windowRefused);
            data.writeLong(throttledUntil);
            data.writeInt(instances.size());
            for (Map.Entry<String, Long> e : instances.entrySet()) {
                data.writeUTF(e.getKey());
                data.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BucketState of(byte[] bytes) {
        BucketState s = new BucketState();
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes))) {
            s.tat = data.readLong();
            s.limitedUntil = data.readLong();
            s.period = data.readLong();
            s.windowStart = data.readLong();
            s.windowCount = data.readLong();
            s.windowRefused = data.readLong();
            s.throttledUntil = data.readLong();
            int n = data.readInt();
            for (int i = 0; i < n; i++) {
                s.instances.put(data.readUTF(), data.readLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }
}
