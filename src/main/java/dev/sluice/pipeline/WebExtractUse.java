package dev.sluice.pipeline;

/**
 * What a request's {@code web_extract} may add and what it used, on the exchange: retrieval fills it, billing prices
 * it, and neither knows the other.
 */
public final class WebExtractUse {

    /** The most a request's retrieval may read and inject, known before any page is fetched. */
    public static final Exchange.Key<Plan> PLAN = new Exchange.Key<>("sluice.web-extract.plan", Plan.class);

    /** What the request's retrieval read and injected, once it has. */
    public static final Exchange.Key<Used> USED = new Exchange.Key<>("sluice.web-extract.used", Used.class);

    private WebExtractUse() {
    }

    /**
     * @param pages  the pages it may read
     * @param tokens the most it may add to the prompt
     */
    public record Plan(int pages, int tokens) {
        public static final Plan NONE = new Plan(0, 0);
    }

    /**
     * @param pages          pages read
     * @param chars          characters of page text read
     * @param injectedTokens tokens of passages added to the prompt
     */
    public record Used(int pages, long chars, int injectedTokens) {
    }

    /** The plan of the exchange, or {@link Plan#NONE} when it asks for no retrieval. */
    public static Plan plan(Exchange exchange) {
        Plan plan = exchange.get(PLAN);
        return plan == null ? Plan.NONE : plan;
    }

    /** The pages the exchange's retrieval read (0 when it read none). */
    public static int pagesUsed(Exchange exchange) {
        Used used = exchange.get(USED);
        return used == null ? 0 : used.pages();
    }
}
