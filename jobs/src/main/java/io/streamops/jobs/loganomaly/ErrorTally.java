package io.streamops.jobs.loganomaly;

import java.util.ArrayList;
import java.util.List;

/** Errors of one service in one window: how many, and the first few as evidence. A Flink POJO. */
public class ErrorTally {

    /** How many inputs a decision cites at most. */
    static final int SAMPLE = 5;

    public long count;
    public List<Ref> sample = new ArrayList<>();

    /** Where one error log line lives. */
    public static class Ref {
        public String topic;
        public int partition;
        public long offset;
        public String eventId;
        public long eventTime;

        public Ref() {}

        Ref(String topic, int partition, long offset, String eventId, long eventTime) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.eventId = eventId;
            this.eventTime = eventTime;
        }
    }
}
