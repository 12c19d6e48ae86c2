package dev.sluice.billing;

import dev.sluice.money.Usage;
import dev.sluice.pipeline.Exchange;

/**
 * What a finished request is charged, and on what grounds; left on the exchange under {@link #KEY} for the steps
 * after metering (the request log, the trace summary), so that they report the charge the ledger holds.
 *
 * @param usage      the tokens charged (reported by the provider, or estimated)
 * @param costMicros what they and the pages read cost
 * @param priced     whether the target had a price
 * @param estimated  whether the usage is Sluice's estimate (no usage was reported)
 * @param pages      web pages read for the request
 */
public record Charge(Usage usage, long costMicros, boolean priced, boolean estimated, int pages) {

    /** The charge of a finished exchange, set by metering before its ledger line is written. */
    public static final Exchange.Key<Charge> KEY = new Exchange.Key<>("sluice.metering.charge", Charge.class);
}
