package dev.sluice.extract;

import java.util.function.Supplier;

/**
 * The moment by which an extraction must be done, checked cooperatively by the extraction itself: while the HTML
 * is read by the parser, for every element a caller's selector is tried on, and between the steps of extraction.
 * A Java thread cannot be stopped from outside, so a worker whose request has given up stops at its next check
 * instead of running on: the checks are placed so that the work between two of them is bounded (linear in the
 * page, never in what a selector can make of it).
 *
 * <p>The deadline of the extraction running on the current thread travels in a thread-local, so that the parser,
 * the selector engine and the renderers need no extra parameter; none is set outside {@link #enforce}.
 */
public final class Deadline {

    /** Extraction did not finish in time; its partial work is dropped. */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("extraction did not finish within the request's deadline", null, false, false);
        }
    }

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final long atNanos;

    private Deadline(long atNanos) {
        this.atNanos = atNanos;
    }

    /** A deadline at {@code System.nanoTime()} value {@code atNanos}. */
    public static Deadline at(long atNanos) {
        return new Deadline(atNanos);
    }

    /** Runs {@code work} on this thread under {@code deadline}; the checks inside throw {@link Exceeded}. */
    public static <T> T enforce(Deadline deadline, Supplier<T> work) {
        Deadline previous = CURRENT.get();
        CURRENT.set(deadline);
        try {
            deadline.check();
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Fails with {@link Exceeded} when the current thread's extraction is past its deadline (or interrupted). */
    public static void checkCurrent() {
        Deadline d = CURRENT.get();
        if (d != null) {
            d.check();
        }
    }

    void check() {
        if (System.nanoTime() - atNanos > 0 || Thread.currentThread().isInterrupted()) {
            throw new Exceeded();
        }
    }

    /** Nanoseconds left, never negative. */
    public long remainingNanos() {
        return Math.max(0, atNanos - System.nanoTime());
    }
}
