package dev.sluice.billing;

import dev.sluice.money.Money;
import dev.sluice.pipeline.Exchange;
import dev.sluice.store.Quotas;

/**
 * The prepaid reservation of one request: how much of the key's balance it holds before it goes upstream, what a
 * refusal for want of balance says, and the ledger note when it cost more than it held. Pure, so that the amounts
 * and messages a client sees are decided without a quota store.
 */
final class Reservation {

    private Reservation() {
    }

    /**
     * What the quota store is asked for: the key's rpm/tpm/parallel slot, and for a prepaid key the reservation
     * ({@code bounds}: the dearest target's worst case, and the least the request can go ahead with).
     */
    static Quotas.Request request(Meter m, String leaseId, TargetCosts.Bounds bounds) {
        boolean prepaid = m.prepaid();
        long most = prepaid ? bounds.most() : 0;
        long least = prepaid ? bounds.least() : 0;
        return new Quotas.Request(m.key.id(), leaseId, m.key.limits(), m.tokensTaken, most, least, prepaid);
    }

    /** The message of a 429 {@code insufficient_quota} refusal at admission. */
    static String insufficient(Meter m, Quotas.Request request, Quotas.Admission a) {
        String available = "You exceeded your current quota: this key has $" + Money.usdText(Math.max(0,
                a.availableMicros())) + " available";
        if (m.output != null && m.output.flexible()) {
            return available + ", and this request needs at least $" + Money.usdText(request.minReserveMicros())
                    + " (its prompt and " + m.output.leastTokens() + " output tokens). Add credit to the key.";
        }
        return available + ", and this request may cost up to $" + Money.usdText(request.reserveMicros())
                + ". Add credit to the key, or lower max_tokens.";
    }

    /** The ledger note of an admitted prepaid request that cost more than it held; null otherwise. */
    static String overrun(Exchange exchange, Meter m, long costMicros) {
        return m != null && m.admitted && m.prepaid()
                ? ReservationOverrun.note(exchange, m.reserveMicros, costMicros) : null;
    }
}
