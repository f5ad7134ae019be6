package io.streamops.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JMH benchmark method as a figure of the suite, and names the benchmark of the same class it
 * is judged against: the micro part reports every method so marked, and needs no list of its own.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Measures {

    /** What it measures, as the report labels it. */
    String value();

    /** The baseline benchmark's method name in the same class, or empty for none. */
    String baseline() default "";

    /** What the baseline is, as the report labels it. */
    String baselineLabel() default "";
}
