package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Quantiles from SLO buckets, interpolated as Prometheus' histogram_quantile does. */
class HistogramQuantilesTest {

    @Test
    void interpolatesInsideTheBucketTheRankFallsIn() {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        cumulative.put(10.0, 50.0);
        cumulative.put(20.0, 90.0);
        cumulative.put(40.0, 100.0);
        assertEquals(10.0, HistogramQuantiles.quantile(cumulative, 100, 0.50), 1e-9);
        assertEquals(15.0, HistogramQuantiles.quantile(cumulative, 100, 0.70), 1e-9);
        assertEquals(30.0, HistogramQuantiles.quantile(cumulative, 100, 0.95), 1e-9);
        assertEquals(5.0, HistogramQuantiles.quantile(cumulative, 100, 0.25), 1e-9);
    }

    @Test
    void beyondTheLastBucketAnswersItsBoundAndNothingRecordedAnswersNull() {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        cumulative.put(10.0, 1.0);
        assertEquals(10.0, HistogramQuantiles.quantile(cumulative, 4, 0.95), 1e-9);
        assertNull(HistogramQuantiles.quantile(new TreeMap<>(), 0, 0.5));
    }

    @Test
    void mergesTheTimersOfEveryTag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Duration[] slos = {Duration.ofMillis(10), Duration.ofMillis(100)};
        Timer a = Timer.builder("t").tag("provider", "a").serviceLevelObjectives(slos).register(registry);
        Timer b = Timer.builder("t").tag("provider", "b").serviceLevelObjectives(slos).register(registry);
        for (int i = 0; i < 9; i++) {
            a.record(Duration.ofMillis(5));
        }
        b.record(Duration.ofMillis(50));
        // 9 of 10 under 10 ms: the median is inside the first bucket, the 95th inside the second
        assertEquals(10.0 * 5 / 9, HistogramQuantiles.millis(List.of(a, b), 0.5).millis(), 1e-6);
        assertEquals(10 + 90 * 0.5, HistogramQuantiles.millis(List.of(a, b), 0.95).millis(), 1e-6);
        assertFalse(HistogramQuantiles.millis(List.of(a, b), 0.95).atLeast());
        // a recording past the last bucket: the 95th is only known to be at least the last bound
        b.record(Duration.ofSeconds(3));
        b.record(Duration.ofSeconds(3));
        assertEquals(100.0, HistogramQuantiles.millis(List.of(a, b), 0.95).millis(), 1e-6);
        assertTrue(HistogramQuantiles.millis(List.of(a, b), 0.95).atLeast());
    }
}
