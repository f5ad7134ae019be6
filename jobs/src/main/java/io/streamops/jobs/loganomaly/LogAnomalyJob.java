package io.streamops.jobs.loganomaly;

import com.google.auto.service.AutoService;
import io.streamops.common.DeadLetter;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.Anomaly;
import io.streamops.decisions.Severity;
import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
import io.streamops.jobs.runtime.Decode;
import io.streamops.jobs.runtime.FlinkJob;
import io.streamops.jobs.runtime.JobContext;
import io.streamops.jobs.runtime.KafkaIo;
import io.streamops.jobs.runtime.KafkaRecord;
import io.streamops.jobs.runtime.Rejected;
import io.streamops.jobs.runtime.Sourced;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.decision.EvidenceBuilder;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.workflows.loganomaly.LogAnomalyWorkflow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The log-anomaly job of workflow 3 (the log-templates issue replaces its detector): counts each service's error and
 * fatal log lines in tumbling event-time windows and decides an {@link Anomaly} when a window holds
 * at least the threshold, citing the count, the threshold, the window and the first error lines.
 * Window state is dropped when its window fires; nothing else is kept per key.
 */
public final class LogAnomalyJob {

    public static final String NAME = LogAnomalyWorkflow.OPERATOR;
    public static final PolicyRef POLICY = new PolicyRef("error-burst", 1);

    /** The job as the launchers find it. */
    @AutoService(FlinkJob.class)
    public static final class Job implements FlinkJob {
        @Override
        public Workflow.Operator descriptor() {
            return new LogAnomalyWorkflow().operators().get(0);
        }

        @Override
        public void addTo(StreamExecutionEnvironment env, Settings settings, JobContext context) {
            String id = context.idFor(NAME);
            build(
                    env,
                    KafkaIo.source(context, id, List.of(context.name(Topics.LOGS))),
                    KafkaIo.sink(context, context.name(LogAnomalyWorkflow.DECISIONS), id, a -> a.getService()),
                    KafkaIo.sink(
                            context,
                            context.name(LogAnomalyWorkflow.DEAD_LETTERS),
                            id + "-dlq",
                            LogAnomalyJob::deadLetterKey),
                    LogAnomalyConfig.from(settings),
                    context.registry());
        }
    }

    private LogAnomalyJob() {}

    public static void build(
            StreamExecutionEnvironment env,
            Source<KafkaRecord, ?, ?> source,
            Sink<Anomaly> anomalies,
            Sink<DeadLetter> deadLetters,
            LogAnomalyConfig config,
            RegistryClients registry) {
        WatermarkStrategy<KafkaRecord> eventTime = WatermarkStrategy.<KafkaRecord>forBoundedOutOfOrderness(
                        config.outOfOrderness())
                .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp)
                .withIdleness(config.idleness());
        SingleOutputStreamOperator<Sourced<LogEvent>> logs = env.fromSource(source, eventTime, "log-anomaly-source")
                .uid("log-anomaly-source")
                .process(new Decode<>(NAME, LogEvent.class, registry))
                .returns(Sourced.type(LogEvent.class))
                .uid("log-anomaly-decode")
                .name("log-anomaly-decode");
        logs.getSideOutput(Decode.REJECTED)
                .map(Rejected::toDeadLetter)
                .returns(DeadLetter.class)
                .uid("log-anomaly-dead-letter-records")
                .name("log-anomaly-dead-letter-records")
                .sinkTo(deadLetters)
                .uid("log-anomaly-dead-letters")
                .name("log-anomaly-dead-letters");
        logs.filter(LogAnomalyJob::isError)
                .uid("log-anomaly-errors")
                .name("log-anomaly-errors")
                .keyBy(log -> log.value.getService())
                .window(TumblingEventTimeWindows.of(config.window()))
                .aggregate(new CountErrors(), new DecideAnomaly(config))
                .uid("log-anomaly-window")
                .name("log-anomaly-window")
                .sinkTo(anomalies)
                .uid("log-anomaly-sink")
                .name("log-anomaly-sink");
    }

    /** Dead letters keep the original record's key. */
    static String deadLetterKey(DeadLetter letter) {
        return letter.getKey() == null
                ? ""
                : StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
    }

    static boolean isError(Sourced<LogEvent> log) {
        return log.value.getLevel() == LogLevel.ERROR || log.value.getLevel() == LogLevel.FATAL;
    }

    static Severity severity(long count, long threshold) {
        return count >= 4 * threshold ? Severity.CRITICAL : Severity.WARNING;
    }

    static final class CountErrors implements AggregateFunction<Sourced<LogEvent>, ErrorTally, ErrorTally> {
        @Override
        public ErrorTally createAccumulator() {
            return new ErrorTally();
        }

        @Override
        public ErrorTally add(Sourced<LogEvent> log, ErrorTally tally) {
            tally.count++;
            if (tally.sample.size() < ErrorTally.SAMPLE) {
                tally.sample.add(new ErrorTally.Ref(
                        log.topic,
                        log.partition,
                        log.offset,
                        log.value.getEventId(),
                        log.value.getOccurredAt().toEpochMilli()));
            }
            return tally;
        }

        @Override
        public ErrorTally getResult(ErrorTally tally) {
            return tally;
        }

        @Override
        public ErrorTally merge(ErrorTally a, ErrorTally b) {
            a.count += b.count;
            for (ErrorTally.Ref ref : b.sample) {
                if (a.sample.size() < ErrorTally.SAMPLE) {
                    a.sample.add(ref);
                }
            }
            return a;
        }
    }

    static final class DecideAnomaly extends ProcessWindowFunction<ErrorTally, Anomaly, String, TimeWindow> {
        private final LogAnomalyConfig config;

        DecideAnomaly(LogAnomalyConfig config) {
            this.config = config;
        }

        @Override
        public void process(String service, Context context, Iterable<ErrorTally> tallies, Collector<Anomaly> out) {
            ErrorTally tally = tallies.iterator().next();
            if (tally.count < config.threshold()) {
                return;
            }
            Instant start = Instant.ofEpochMilli(context.window().getStart());
            Instant end = Instant.ofEpochMilli(context.window().getEnd());
            EvidenceBuilder evidence = Decisions.evidence(String.format(
                            "%s logged %d errors in the %ds window from %s; the threshold is %d",
                            service, tally.count, config.window().toSeconds(), start, config.threshold()))
                    .measured("errors", tally.count)
                    .threshold("threshold", config.threshold())
                    .window(start, end);
            tally.sample.forEach(
                    r -> evidence.input(r.topic, r.partition, r.offset, r.eventId, Instant.ofEpochMilli(r.eventTime)));
            out.collect(Anomaly.newBuilder()
                    .setEnvelope(Decisions.envelope(
                            NAME,
                            POLICY,
                            config.mode(),
                            end,
                            Instant.ofEpochMilli(context.currentProcessingTime()),
                            evidence.build(),
                            service + "@" + context.window().getStart()))
                    .setService(service)
                    .setSignal("error-logs")
                    .setSeverity(severity(tally.count, config.threshold()))
                    .setObserved(tally.count)
                    .setExpected(config.threshold())
                    .build());
        }
    }
}
