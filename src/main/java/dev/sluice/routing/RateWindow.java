package dev.sluice.routing;

/**
 * A sliding one-minute count (requests or tokens) kept in one-second buckets, for a deployment's rpm and tpm
 * caps. Cheap enough to touch on every request; synchronised because attempts finish on any event loop.
 */
final class RateWindow {

    private static final int SECONDS = 60;
    private final long[] counts = new long[SECONDS];
    private final long[] stamps = new long[SECONDS];

    synchronized void add(long nowNanos, long amount) {
        long second = nowNanos / 1_000_000_000L;
        int i = (int) Math.floorMod(second, (long) SECONDS);
        if (stamps[i] != second) {
            stamps[i] = second;
            counts[i] = 0;
        }
        counts[i] += amount;
    }

    /** The total of the last sixty seconds. */
    synchronized long sum(long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (second - stamps[i] < SECONDS) {
                total += counts[i];
            }
        }
        return total;
    }

    /** When the oldest counted bucket leaves the window (nanoTime), or now when nothing is counted. */
    synchronized long nextRelease(long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < SECONDS; i++) {
            if (counts[i] > 0 && second - stamps[i] < SECONDS) {
                oldest = Math.min(oldest, stamps[i]);
            }
        }
        return oldest == Long.MAX_VALUE ? nowNanos : (oldest + SECONDS) * 1_000_000_000L;
    }

    synchronized void clear() {
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(stamps, 0);
    }
}
