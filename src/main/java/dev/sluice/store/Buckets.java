package dev.sluice.store;

/** Token-bucket arithmetic shared by the quota stores: a bucket of {@code capacity} refills it every minute. */
final class Buckets {

    private Buckets() {
    }

    /** The level now, given the level at {@code since}; an untouched bucket (NaN) is full. */
    static double level(double level, long since, long now, long capacity) {
        if (Double.isNaN(level)) {
            return capacity;
        }
        double refilled = level + (now - since) * (double) capacity / 60_000.0;
        return Math.min(capacity, refilled);
    }

    /** Milliseconds until {@code missing} units have refilled. */
    static long waitFor(double missing, long capacity) {
        if (missing <= 0) {
            return 0;
        }
        return (long) Math.ceil(missing * 60_000.0 / capacity);
    }
}
