package dev.sluice.pipeline;

/**
 * Where each {@link ExchangeInterceptor} runs, in the order the pipeline runs them: the one place that says why
 * each step comes where it does.
 */
public enum Stage {

    /**
     * First: the request's trace span (the HTTP server span) is taken while the exchange is still on the request's
     * own context, before any step that may continue on another thread, so that every later span (pages fetched,
     * upstream attempts, the ledger line) has it as parent.
     */
    TRACE,

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

    /**
     * The response cache: after metering, so that a hit still passes the allow-list, counts against the key's rate
     * limits and is recorded, and sees the request as it will go upstream (output cap included); before retrieval,
     * so that a hit fetches no page. A hit answers the exchange ({@link LocalAnswer}): nothing after it prepares
     * an upstream call.
     */
    CACHE,

    /** {@code web_extract}: pages fetched and passages injected, once the request is admitted and paid for. */
    RETRIEVAL,

    /**
     * The request span's GenAI attributes (served model, tokens, cost, attempts), once metering has priced the
     * exchange; before the metrics, which never refuse anything.
     */
    TRACE_SUMMARY,

    /**
     * The request log: after metering, whose settlement has then fixed the request's cost and tokens, so that its
     * row holds what the ledger holds; before metrics, which take nothing from it.
     */
    REQUEST_LOG,

    /** Last: the metrics observe what every other step decided. */
    METRICS
}
