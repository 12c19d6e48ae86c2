package dev.sluice.store;

import io.smallrye.mutiny.Uni;

/**
 * What every request checks and takes before it goes upstream, atomically: a request and its estimated tokens
 * from the key's rpm/tpm buckets, a parallel-request slot, and a reservation of its worst-case cost against the
 * balance. Held in memory for one replica, or in Redis so that every replica shares them. Slots and reservations
 * are leases: a replica that dies holding some frees them after {@code sluice.store.lease-ttl}.
 */
public interface Quotas {

    /** Limits of a key; null or 0: none. */
    record Limits(Integer rpm, Integer tpm, Integer maxParallel) {
        public int rpmOr0() {
            return rpm == null ? 0 : rpm;
        }

        public int tpmOr0() {
            return tpm == null ? 0 : tpm;
        }

        public int parallelOr0() {
            return maxParallel == null ? 0 : maxParallel;
        }
    }

    /**
     * @param leaseId           identifies this request's slot and reservation
     * @param tokens            tokens to take from the tpm bucket (estimate; corrected at settlement)
     * @param reserveMicros     the reservation wanted: the request's worst-case cost
     * @param minReserveMicros  the least reservation the request can go ahead with: when the balance available
     *                          is between this and {@code reserveMicros}, all of it is reserved (the request is
     *                          then capped to what it covers); equal to {@code reserveMicros} when the request's
     *                          worst case is fixed
     * @param metered           false for unlimited keys: no balance check, no reservation
     */
    record Request(String keyId, String leaseId, Limits limits, long tokens, long reserveMicros, long minReserveMicros,
                   boolean metered) {

        /** A request whose worst case is fixed: all of it is reserved, or it is refused. */
        public Request(String keyId, String leaseId, Limits limits, long tokens, long reserveMicros, boolean metered) {
            this(keyId, leaseId, limits, tokens, reserveMicros, reserveMicros, metered);
        }
    }

    enum Verdict {
        ADMITTED, REQUESTS_EXHAUSTED, TOKENS_EXHAUSTED, TOO_MANY_PARALLEL, INSUFFICIENT_BALANCE,
        /** The shared store does not hold this key's balance yet: load it, {@link #balanceChanged}, try again. */
        BALANCE_UNKNOWN
    }

    /**
     * The answer, with what the rate-limit headers report.
     *
     * @param remainingRequests   whole requests left in the rpm bucket after this one (-1: no rpm limit)
     * @param resetRequestsMillis time until the rpm bucket is full again
     * @param retryAfterMillis    when refused: how long until a retry can succeed (0: unknown / never by waiting)
     * @param availableMicros     balance minus reservations, after this one (metered keys)
     * @param reservedMicros      what was reserved for this request (admitted metered requests)
     */
    record Admission(Verdict verdict, long remainingRequests, long resetRequestsMillis, long remainingTokens,
                     long resetTokensMillis, long retryAfterMillis, long availableMicros, long reservedMicros) {
        public boolean admitted() {
            return verdict == Verdict.ADMITTED;
        }
    }

    /**
     * @param balance      the key's balance right after the ledger commit that charged this request (may be null)
     * @param tokensTaken  what admission took from the tpm bucket
     * @param tokensUsed   what the request really used
     */
    record Settlement(String keyId, String leaseId, Limits limits, long tokensTaken, long tokensUsed, Balance balance) {
    }

    Uni<Admission> admit(Request request);

    /**
     * The state of a key's rpm and tpm buckets, taking nothing (for the rate-limit headers of a response that was
     * refused before admission): verdict {@link Verdict#ADMITTED}, remaining and reset figures as {@link #admit}
     * reports them.
     */
    Uni<Admission> peek(String keyId, Limits limits);

    /** Releases the slot and reservation, corrects the tpm bucket, and applies the new balance. */
    Uni<Void> settle(Settlement settlement);

    /** A durable balance read from the database or produced by a commit; ignored unless newer than the one held. */
    Uni<Void> balanceChanged(Balance balance);

    /** The sum of reservations currently held for a key. */
    Uni<Long> reserved(String keyId);
}
