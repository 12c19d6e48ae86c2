package dev.sluice.money;

/**
 * A model's price in micro-dollars per million tokens (so $2.50 per million is 2,500,000). A request's cost is
 * computed in that unit and rounded up once, to the micro-dollar: never more than one micro-dollar above the
 * exact figure, never below it.
 *
 * @param maxOutputTokens the largest output Sluice may ask of the model on its own (0: not known)
 * @param source          where the price comes from (the table and its date, a setting), for answers and logs
 */
public record Price(long inputPerMillion, long outputPerMillion, long cachedInputPerMillion,
                    long cacheWritePerMillion, int maxOutputTokens, String source) {

    public Price(long inputPerMillion, long outputPerMillion, long cachedInputPerMillion, long cacheWritePerMillion,
                 String source) {
        this(inputPerMillion, outputPerMillion, cachedInputPerMillion, cacheWritePerMillion, 0, source);
    }

    /**
     * A price given in US dollars per million tokens (as routing files give them), to the nearest micro-dollar;
     * cached and cache-write input at the input price.
     */
    public static Price perMillionUsd(double input, double output, String source) {
        long in = microsNearest(input);
        return new Price(in, microsNearest(output), in, in, source);
    }

    private static long microsNearest(double usd) {
        return java.math.BigDecimal.valueOf(usd).setScale(6, java.math.RoundingMode.HALF_UP).movePointRight(6)
                .longValueExact();
    }

    /** A comparable figure for one typical request, prompt and output weighted alike (lowest-cost routing). */
    public long blended() {
        return Math.addExact(inputPerMillion, outputPerMillion);
    }

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

    /**
     * The most a prompt and an output of the given sizes can cost: every prompt token at the dearer of the input
     * and cache-write prices (a provider may write the whole prompt to its cache, at a premium).
     */
    public long worstCase(long promptTokens, long outputTokens) {
        long scaled = Math.addExact(Math.multiplyExact(promptTokens, worstInputPerMillion()),
                Math.multiplyExact(outputTokens, outputPerMillion));
        return ceilDiv(scaled, 1_000_000L);
    }

    /**
     * The largest output whose {@link #worstCase} cost with this prompt stays within {@code micros} (at most
     * {@code cap}); -1 when even the prompt alone costs more.
     */
    public long outputCovered(long promptTokens, long micros, long cap) {
        if (worstCase(promptTokens, cap) <= micros) {
            return cap;
        }
        // micros is now below the cost of a capped request, so the arithmetic below stays far from overflow
        long left = Math.subtractExact(Math.multiplyExact(micros, 1_000_000L),
                Math.multiplyExact(promptTokens, worstInputPerMillion()));
        if (left < 0) {
            return -1;
        }
        return outputPerMillion == 0 ? cap : Math.min(cap, left / outputPerMillion);
    }

    private long worstInputPerMillion() {
        return Math.max(inputPerMillion, cacheWritePerMillion);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
