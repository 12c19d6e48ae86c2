package dev.sluice.billing;

import dev.sluice.auth.Caller;
import dev.sluice.keys.VirtualKey;
import dev.sluice.pipeline.Exchange;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.Quotas;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prepaid key holds the dearest target's worst case for a request, an unlimited key holds nothing; a refusal
 * says what the key has and what the request needs; a request that cost more than it held is noted.
 */
class ReservationTest {

    static VirtualKey key(boolean unlimited) {
        return VirtualKey.of(new KeyRecord("k1", "test", "h", "abcd", List.of(), 60, null, 2, unlimited, null, null,
                0, 0, null, 1_000_000, 1));
    }

    static final TargetCosts.Bounds BOUNDS = new TargetCosts.Bounds(5_000, 1_200);

    @Test
    void aPrepaidKeyHoldsTheWorstCaseAndCanGoAheadWithTheLeast() {
        Meter m = new Meter(key(false), null);
        m.tokensTaken = 300;
        Quotas.Request r = Reservation.request(m, "lease-1", BOUNDS);
        assertTrue(r.metered());
        assertEquals(5_000, r.reserveMicros());
        assertEquals(1_200, r.minReserveMicros());
        assertEquals(300, r.tokens());
        assertEquals("lease-1", r.leaseId());
        assertEquals(new Quotas.Limits(60, null, 2), r.limits());
    }

    @Test
    void anUnlimitedKeyHoldsNothingButStillTakesItsSlot() {
        Quotas.Request r = Reservation.request(new Meter(key(true), null), "lease-2", BOUNDS);
        assertFalse(r.metered());
        assertEquals(0, r.reserveMicros());
        assertEquals(0, r.minReserveMicros());
        assertEquals(new Quotas.Limits(60, null, 2), r.limits());
    }

    @Test
    void aRefusalSaysWhatTheKeyHasAndWhatTheRequestNeeds() {
        Meter m = new Meter(key(false), null);
        Quotas.Request r = Reservation.request(m, "lease-1", BOUNDS);
        Quotas.Admission a = new Quotas.Admission(Quotas.Verdict.INSUFFICIENT_BALANCE, 0, 0, 0, 0, 0, 700, 0);
        assertEquals("You exceeded your current quota: this key has $0.000700 available, and this request may cost "
                + "up to $0.005000. Add credit to the key, or lower max_tokens.", Reservation.insufficient(m, r, a));
    }

    @Test
    void onlyAnAdmittedPrepaidRequestThatCostMoreThanItHeldIsNoted() {
        Exchange exchange = Exchange.unreadable(Exchange.Operation.CHAT, System.nanoTime(), "req-1",
                new Caller("k1", Caller.Role.VIRTUAL, key(false)));
        Meter m = new Meter(key(false), null);
        m.reserveMicros = 5_000;
        assertNull(Reservation.overrun(exchange, m, 9_000), "not admitted: nothing was held");
        m.admitted = true;
        assertNull(Reservation.overrun(exchange, m, 5_000));
        assertEquals("reservation_exceeded: cost $0.009000 above the $0.005000 reserved",
                Reservation.overrun(exchange, m, 9_000));
        Meter unlimited = new Meter(key(true), null);
        unlimited.admitted = true;
        assertNull(Reservation.overrun(exchange, unlimited, 9_000));
        assertNull(Reservation.overrun(exchange, null, 9_000));
    }
}
