package io.streamops.topologies.cache;

import io.streamops.cache.CacheFill;
import io.streamops.cache.CacheLookup;
import io.streamops.cache.CacheRouteWindow;
import io.streamops.common.Evidence;
import io.streamops.common.InputRef;
import io.streamops.decisions.CacheTtl;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.decision.EvidenceBuilder;
import io.streamops.workflows.cache.CacheWorkflow;
import io.streamops.workflows.cache.TtlAdvice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each route's lookups in its open window, each miss by its cause, and closes the window at
 * its end in event time (when a later lookup of the route arrives, or when stream time passes it):
 * one {@link CacheTtl} per route and window with enough lookups. A stream-time sweep drops fills
 * older than the horizon and routes idle for as long.
 */
final class AdviseTtl implements Processor<String, CacheLookup, String, CacheTtl> {

    /** Expired misses named in a decision's evidence. */
    static final int SAMPLES = 5;

    private final CacheTtlConfig config;
    private final long window;
    private final long horizon;
    private ProcessorContext<String, CacheTtl> context;
    private KeyValueStore<String, CacheFill> fills;
    private KeyValueStore<String, CacheRouteWindow> routes;

    AdviseTtl(CacheTtlConfig config) {
        this.config = config;
        this.window = config.window().toMillis();
        this.horizon = config.advice().max().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, CacheTtl> context) {
        this.context = context;
        this.fills = context.getStateStore(CacheTtlTopology.FILLS);
        this.routes = context.getStateStore(CacheTtlTopology.ROUTES);
        context.schedule(
                Duration.ofMillis(Math.max(1000, Math.min(window / 5, 60_000))),
                PunctuationType.STREAM_TIME,
                this::closeAndSweep);
    }

    @Override
    public void process(Record<String, CacheLookup> record) {
        CacheLookup lookup = record.value();
        if (lookup == null) {
            return;
        }
        long at = lookup.getOccurredAt().toEpochMilli();
        CacheRouteWindow w = routes.get(lookup.getRoute());
        if (w == null) {
            w = open(start(at), -1);
        } else if (at >= w.getWindowStart() + window) {
            close(lookup.getRoute(), w);
            w = open(start(at), w.getLastInvalidatedAt());
        }
        w.setTtlMillis(lookup.getTtlMillis());
        CacheFill fill = fills.get(lookup.getKey());
        if (lookup.getHit()) {
            w.setHits(w.getHits() + 1);
            if (fill == null) {
                // Filled before this operator saw it: taken as filled now, which can only understate a later gap.
                fills.put(lookup.getKey(), new CacheFill(lookup.getRoute(), at, -1L));
            }
        } else {
            classify(w, fill, lookup, at);
            fills.put(lookup.getKey(), new CacheFill(lookup.getRoute(), at, -1L));
        }
        routes.put(lookup.getRoute(), w);
    }

    private void classify(CacheRouteWindow w, CacheFill fill, CacheLookup lookup, long at) {
        if (fill == null) {
            w.setCold(w.getCold() + 1);
        } else if (fill.getInvalidatedAt() >= fill.getFilledAt()) {
            w.setInvalidated(w.getInvalidated() + 1);
        } else if (at - fill.getFilledAt() >= lookup.getTtlMillis()) {
            w.setExpired(w.getExpired() + 1);
            int step = TtlAdvice.step(Duration.ofMillis(at - fill.getFilledAt()));
            if (step < TtlAdvice.STEPS.size()) {
                List<Long> byStep = new ArrayList<>(w.getExpiredByStep());
                byStep.set(step, byStep.get(step) + 1);
                w.setExpiredByStep(byStep);
            }
            if (w.getSamples().size() < SAMPLES) {
                List<InputRef> samples = new ArrayList<>(w.getSamples());
                samples.add(new InputRef(
                        lookup.getTopic(),
                        lookup.getPartition(),
                        lookup.getOffset(),
                        lookup.getEventId(),
                        lookup.getOccurredAt()));
                w.setSamples(samples);
            }
        } else {
            w.setEarly(w.getEarly() + 1);
        }
    }

    private long start(long at) {
        return at - Math.floorMod(at, window);
    }

    private static CacheRouteWindow open(long start, long lastInvalidatedAt) {
        CacheRouteWindow w = new CacheRouteWindow();
        w.setWindowStart(start);
        w.setExpiredByStep(new ArrayList<>(Collections.nCopies(TtlAdvice.STEPS.size(), 0L)));
        w.setSamples(new ArrayList<>());
        w.setLastInvalidatedAt(lastInvalidatedAt);
        return w;
    }

    private void close(String route, CacheRouteWindow w) {
        long end = w.getWindowStart() + window;
        TtlAdvice.Window counted = counted(w);
        config.advice()
                .advise(counted)
                .ifPresent(advice -> context.forward(new Record<>(route, decide(route, w, counted, advice, end), end)));
    }

    /** The window's counts as the policy reads them. */
    private TtlAdvice.Window counted(CacheRouteWindow w) {
        long end = w.getWindowStart() + window;
        return new TtlAdvice.Window(
                Duration.ofMillis(w.getTtlMillis()),
                w.getHits(),
                w.getCold(),
                w.getExpired(),
                w.getInvalidated(),
                w.getEarly(),
                w.getExpiredByStep(),
                w.getLastInvalidatedAt() >= 0 && w.getLastInvalidatedAt() > end - horizon);
    }

    private CacheTtl decide(
            String route, CacheRouteWindow w, TtlAdvice.Window counted, TtlAdvice.Advice advice, long end) {
        EvidenceBuilder evidence = Decisions.evidence(route + ": " + advice.why())
                .measured("lookups", counted.lookups())
                .measured("hits", counted.hits())
                .measured("hitRate", advice.hitRate())
                .measured("coldMisses", counted.cold())
                .measured("expiredMisses", counted.expired())
                .measured("invalidatedMisses", counted.invalidated())
                .measured("otherMisses", counted.early())
                .measured("ttlSeconds", w.getTtlMillis() / 1000.0)
                .measured("projectedHitRate", advice.projectedHitRate())
                .threshold("targetHitRate", config.advice().target())
                .threshold("minLookups", config.advice().minLookups())
                .threshold("maxTtlSeconds", config.advice().max().toSeconds())
                .window(Instant.ofEpochMilli(w.getWindowStart()), Instant.ofEpochMilli(end));
        for (InputRef sample : w.getSamples()) {
            evidence.input(
                    sample.getTopic(),
                    sample.getPartition(),
                    sample.getOffset(),
                    sample.getEventId(),
                    sample.getEventTime());
        }
        Evidence built = evidence.build();
        return CacheTtl.newBuilder()
                .setEnvelope(Decisions.envelope(
                        CacheTtlTopology.NAME,
                        config.policy(),
                        config.mode(),
                        Instant.ofEpochMilli(end),
                        Instant.ofEpochMilli(context.currentSystemTimeMs()),
                        built,
                        route + "@" + end))
                .setRoute(route)
                .setAction(advice.action())
                .setCurrentTtlMillis(w.getTtlMillis())
                .setProposedTtlMillis(advice.proposed().toMillis())
                .setHitRate(advice.hitRate())
                .setProjectedHitRate(advice.projectedHitRate())
                .setSetting(CacheWorkflow.ROUTE_TTL.forName(route) + "=" + human(advice.proposed()))
                .build();
    }

    /** A duration as the config reads it: {@code 90s}, {@code 10m}, {@code 2h}. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** Closes the windows stream time has passed; drops fills and routes older than the horizon. */
    private void closeAndSweep(long streamTime) {
        List<KeyValue<String, CacheRouteWindow>> ended = new ArrayList<>();
        try (KeyValueIterator<String, CacheRouteWindow> all = routes.all()) {
            all.forEachRemaining(e -> {
                if (streamTime >= e.value.getWindowStart() + window) {
                    ended.add(e);
                }
            });
        }
        for (KeyValue<String, CacheRouteWindow> e : ended) {
            CacheRouteWindow w = e.value;
            if (counted(w).lookups() > 0) {
                close(e.key, w);
                routes.put(e.key, open(start(streamTime), w.getLastInvalidatedAt()));
            } else if (Math.max(w.getWindowStart() + window, w.getLastInvalidatedAt()) <= streamTime - horizon) {
                // An empty window is left where it was: its start is the route's last activity.
                routes.delete(e.key);
            }
        }
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, CacheFill> all = fills.all()) {
            all.forEachRemaining(e -> {
                if (Math.max(e.value.getFilledAt(), e.value.getInvalidatedAt()) <= streamTime - horizon) {
                    old.add(e.key);
                }
            });
        }
        old.forEach(fills::delete);
    }
}
