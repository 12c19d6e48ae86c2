package dev.sluice.billing;

import dev.sluice.money.Money;
import dev.sluice.pipeline.Exchange;
import io.quarkus.logging.Log;

/**
 * A prepaid request that cost more than was reserved for it: possible only when a provider counts more prompt
 * than Sluice could know (content it reads itself beyond its ceiling, a tokenizer counting above the estimate),
 * as output is capped to the reservation. The true cost is charged all the same — the balance may go below zero —
 * and the overrun is never silent: the ledger line says so in its note and a warning names the request. A balance
 * below zero then refuses every priced request of the key (nothing can be reserved against it) until it is
 * topped up.
 */
final class ReservationOverrun {

    private ReservationOverrun() {
    }

    /** The ledger note for a request that cost more than its reservation; null when it did not. */
    static String note(Exchange exchange, long reservedMicros, long costMicros) {
        if (costMicros <= reservedMicros) {
            return null;
        }
        String note = "reservation_exceeded: cost $" + Money.usdText(costMicros) + " above the $"
                + Money.usdText(reservedMicros) + " reserved";
        Log.warnf("Request %s of key %s cost $%s, above the $%s reserved for it; the key's balance may be below "
                        + "zero and it is refused further spending until topped up", exchange.requestId(),
                exchange.caller().keyId(), Money.usdText(costMicros), Money.usdText(reservedMicros));
        return note;
    }
}
