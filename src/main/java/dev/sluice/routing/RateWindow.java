package dev.sluice.routing;

/**
 * A sliding one-minute count (requests or tokens) kept in one-second buckets, for a deployment's rpm and tpm
 * caps. Cheap enough to touch on every request; synchronised because attempts start and finish on any event loop.
 *
 * <p>Caps are taken atomically ({@link #tryTake}): the check and the count happen under one lock, so concurrent
 * attempts can never overshoot a cap between them. What was taken can later be corrected in the bucket it was
 * counted in ({@link #correct}), so that an estimate made when a request starts is replaced by what it really
 * used without moving its weight to a later minute.
 */
final class RateWindow {

    /** Returned by {@link #tryTake} when the cap leaves no room. */
    static final long REFUSED = Long.MIN_VALUE;

    private static final int SECONDS = 60;
    private final long[] counts = new long[SECONDS];
    private final long[] stamps = new long[SECONDS];

    synchronized void add(long nowNanos, long amount) {
        if (amount == 0) {
            return;
        }
        long second = second(nowNanos);
        int i = index(second);
        if (stamps[i] != second) {
            stamps[i] = second;
            counts[i] = 0;
        }
        counts[i] = Math.max(0, counts[i] + amount);
    }

    /**
     * Counts {@code amount} if the cap leaves room, atomically. With no cap ({@code cap <= 0}) it always does.
     * A cap leaves no room once the minute's total has reached it, or when the amount would take the total over
     * it; an amount larger than the whole cap is still let through when nothing else was counted this minute, so
     * that one request larger than a cap is slowed down rather than refused forever.
     *
     * @return the second the amount was counted in (for {@link #correct}), or {@link #REFUSED}
     */
    synchronized long tryTake(long nowNanos, long amount, long cap) {
        if (cap > 0 && !fits(sum(nowNanos), amount, cap)) {
            return REFUSED;
        }
        add(nowNanos, amount);
        return second(nowNanos);
    }

    /** Whether {@code amount} may be counted on top of {@code used} under {@code cap} (see {@link #tryTake}). */
    static boolean fits(long used, long amount, long cap) {
        return used < cap && (used == 0 || used + amount <= cap);
    }

    /**
     * Replaces {@code taken}, counted in {@code second} by {@link #tryTake}, with {@code actual}: in that same
     * bucket while it is still part of the window; once it has left the window, {@code actual} is counted now.
     */
    synchronized void correct(long second, long taken, long actual, long nowNanos) {
        int i = index(second);
        if (stamps[i] == second && second(nowNanos) - second < SECONDS) {
            counts[i] = Math.max(0, counts[i] + actual - taken);
        } else {
            add(nowNanos, actual);
        }
    }

    /** The total of the last sixty seconds. */
    synchronized long sum(long nowNanos) {
        long second = second(nowNanos);
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
        long second = second(nowNanos);
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

    private static long second(long nowNanos) {
        return Math.floorDiv(nowNanos, 1_000_000_000L);
    }

    private static int index(long second) {
        return (int) Math.floorMod(second, (long) SECONDS);
    }
}
