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
     * {@code web_extract} options read and the most retrieval may add planned ({@link WebExtractUse#PLAN}), so that
     * metering reserves for it; a request whose options are invalid is refused here, before anything is reserved.
     */
    RETRIEVAL_PLAN,

    /**
     * Per-key rate limits, the prepaid reservation and, at the end, settlement on the ledger. Before retrieval: a
     * request its key's limits or balance refuse fetches nothing.
     */
    METERING,

    /** {@code web_extract}: pages fetched and passages injected, once the request is admitted and paid for. */
    RETRIEVAL,

    /** Last: the metrics observe what every other step decided. */
    METRICS
}
