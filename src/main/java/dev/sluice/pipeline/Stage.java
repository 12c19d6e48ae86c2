package dev.sluice.pipeline;

/**
 * Where each {@link ExchangeInterceptor} runs, in the order the pipeline runs them: the one place that says why
 * each step comes where it does.
 */
public enum Stage {

    /**
     * A Messages request's {@code max_tokens} lowered to what the served model can write, before metering prices
     * the output cap, so that the reservation is made for the lowered figure.
     */
    OUTPUT_LIMIT,

    /**
     * Per-key rate limits, the prepaid reservation and, at the end, settlement on the ledger. Before retrieval: a
     * request its key's limits or balance refuse fetches nothing.
     */
    METERING,

    /**
     * The response cache: after metering, so that a hit still passes the allow-list, counts against the key's rate
     * limits and is recorded, and sees the request as it will go upstream (output cap included); before retrieval,
     * so that a hit fetches no page. A hit answers the exchange ({@link LocalAnswer}): nothing after it prepares
     * an upstream call.
     */
    CACHE,

    /** {@code web_extract}: pages fetched and passages injected, once the request is admitted and paid for. */
    RETRIEVAL,

    /** Last: the metrics observe what every other step decided. */
    METRICS
}
