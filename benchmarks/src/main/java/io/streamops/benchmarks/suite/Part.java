package io.streamops.benchmarks.suite;

import java.util.List;

/** A part of the suite, runnable alone: {@code benchmarks/run <name>}. */
interface Part {

    String name();

    String title();

    /** How it is measured, for BENCHMARKS.md. */
    String method();

    Result run(Bench bench) throws Exception;

    /** Figures, curves for the plot, and what was noticed on the way (dropped events, say). */
    record Result(List<Figure> figures, List<Curve> curves, List<String> notes) {}
}
