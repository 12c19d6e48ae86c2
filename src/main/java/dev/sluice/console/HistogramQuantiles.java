package dev.sluice.console;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.Collection;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Quantiles of the gateway's latency histograms (Micrometer timers with service-level-objective buckets), merged
 * across their tags and estimated the way Prometheus' {@code histogram_quantile} does: linear interpolation inside
 * the bucket the quantile falls in. Written here because Micrometer only computes quantiles client-side when a
 * timer publishes them, which Sluice's timers do not (it would cost every request a sketch update).
 */
final class HistogramQuantiles {

    private HistogramQuantiles() {
    }

    /** A quantile; {@code atLeast} when it lies beyond the last bucket, whose bound {@code millis} then is. */
    record Estimate(double millis, boolean atLeast) {
    }

    /**
     * The {@code q} quantile in milliseconds over all timers' recordings since start, or null when nothing has
     * been recorded. Beyond the last bucket the last bucket's bound is answered (as Prometheus does), flagged.
     */
    static Estimate millis(Collection<Timer> timers, double q) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        long total = 0;
        for (Timer t : timers) {
            var snapshot = t.takeSnapshot();
            total += snapshot.count();
            for (CountAtBucket b : snapshot.histogramCounts()) {
                cumulative.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
            }
        }
        Double value = quantile(cumulative, total, q);
        if (value == null) {
            return null;
        }
        double inBuckets = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        return new Estimate(value, q * total > inBuckets);
    }

    /** The quantile from cumulative bucket counts (upper bound → count of values ≤ bound) and the total count. */
    static Double quantile(TreeMap<Double, Double> cumulative, long total, double q) {
        if (total == 0 || cumulative.isEmpty()) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var bucket : cumulative.entrySet()) {
            double upper = bucket.getKey();
            double count = bucket.getValue();
            if (count >= rank) {
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? upper : lowerBound + (upper - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = upper;
            lowerCount = count;
        }
        return cumulative.lastKey();
    }
}
