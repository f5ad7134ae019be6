package io.streamops.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured: latencies in milliseconds (for an open-loop run, from each request's
 * intended send time, so that a stalled server is charged for the requests it delayed), the
 * requests answered with a 2xx within the measured interval, the rest as errors.
 */
public record LoadResult(
        String mode,
        int connections,
        double offeredPerSecond,
        double seconds,
        long ok,
        long errors,
        double p50,
        double p90,
        double p95,
        double p99,
        double p999,
        double max) {

    static LoadResult of(
            String mode,
            int connections,
            double offeredPerSecond,
            double seconds,
            long ok,
            long errors,
            Histogram latencyNanos) {
        return new LoadResult(
                mode,
                connections,
                offeredPerSecond,
                seconds,
                ok,
                errors,
                ms(latencyNanos, 50),
                ms(latencyNanos, 90),
                ms(latencyNanos, 95),
                ms(latencyNanos, 99),
                ms(latencyNanos, 99.9),
                latencyNanos.getTotalCount() == 0 ? Double.NaN : latencyNanos.getMaxValue() / 1e6);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** Answered requests per second. */
    public double throughput() {
        return ok / seconds;
    }

    public double errorRate() {
        long all = ok + errors;
        return all == 0 ? 0 : (double) errors / all;
    }

    @Override
    public String toString() {
        return String.format(
                "%s %,d conns: %,.0f req/s ok, %,d errors, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                mode, connections, throughput(), errors, p50, p95, p99, p999, max);
    }
}
