package dev.sluice.billing;

/**
 * A model's price in micro-dollars per million tokens (so $2.50 per million is 2,500,000). A request's cost is
 * computed in that unit and rounded up once, to the micro-dollar: never more than one micro-dollar above the
 * exact figure, never below it.
 *
 * @param source where the price comes from (the table and its date, a setting), for answers and logs
 */
public record Price(long inputPerMillion, long outputPerMillion, long cachedInputPerMillion,
                    long cacheWritePerMillion, String source) {

    public long cost(Usage u) {
        long uncached = Math.max(0, u.prompt() - u.cached() - u.cacheWrite());
        long scaled = Math.addExact(Math.addExact(Math.multiplyExact(uncached, inputPerMillion),
                        Math.multiplyExact(u.cached(), cachedInputPerMillion)),
                Math.addExact(Math.multiplyExact(u.cacheWrite(), cacheWritePerMillion),
                        Math.multiplyExact(u.completion(), outputPerMillion)));
        return ceilDiv(scaled, 1_000_000L);
    }

    /** The cost of a prompt and an output of the given sizes. */
    public long cost(long promptTokens, long outputTokens) {
        return cost(new Usage(promptTokens, outputTokens, 0, 0, 0));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
