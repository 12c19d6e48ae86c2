package dev.sluice.billing;

import dev.sluice.pipeline.OnContext;
import dev.sluice.keys.VirtualKey;
import dev.sluice.money.Price;
import dev.sluice.pipeline.Exchange;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;

/**
 * What metering knows about one request, from admission to settlement: one object on the exchange instead of
 * loose attributes, so that each step of metering reads what the previous one decided. {@link MeteringInterceptor}
 * creates it before the upstream and settles it at the end; {@link AttemptPricing} moves its price and prompt
 * estimate to the target of each attempt.
 */
final class Meter {

    /** Exchange attribute with the metering state of a request. */
    static final Exchange.Key<Meter> KEY = new Exchange.Key<>("sluice.metering", Meter.class);

    /** The virtual key that pays; null for the master key. */
    final VirtualKey key;
    /** The request's Vert.x context, where every continuation of metering comes back to. */
    final Context context;
    /** The text relayed to the client, counted when the upstream reports no usage. */
    final ProducedText produced = new ProducedText();

    /** The price of the target last attempted; null when it has none. */
    Price price;
    /** The prompt estimate of the target last attempted. */
    long promptEstimate;
    /** What the pages retrieval may read for the request can cost (reserved before they are read). */
    long extractMicros;
    TargetCosts costs;
    OutputCap output;
    /** Tokens taken from the key's tpm bucket at admission (given back or corrected at settlement). */
    long tokensTaken;
    /** What the quota store holds of the key's balance for this request. */
    long reserveMicros;
    /** The id under which the quota store holds the slot and the reservation; null when nothing was taken. */
    String leaseId;
    boolean admitted;
    /** Whether the response already carries the key's rate-limit headers. */
    boolean rateHeaders;
    /** Whether a streaming client asked for the usage chunk itself. */
    boolean clientWantsUsage = true;

    Meter(VirtualKey key, Context context) {
        this.key = key;
        this.context = context;
    }

    /** A fresh state for a request, on the current Vert.x context. */
    static Meter of(VirtualKey key) {
        return new Meter(key, Vertx.currentContext());
    }

    /** Whether the key pays from a prepaid balance (unlimited keys and the master key do not). */
    boolean prepaid() {
        return key != null && !key.record().unlimited();
    }

    /** Continues on the request's Vert.x context (inline when already there). */
    Executor resume() {
        return OnContext.of(context);
    }
}
