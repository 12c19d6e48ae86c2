package dev.sluice.pipeline;

/**
 * Response headers the gateway adds to every answer that routing and billing write and observers (traces, the
 * request log) read back from the exchange, named here so that the readers need not know the writers.
 */
public final class GatewayHeaders {

    /** The deployment that served the request. */
    public static final String DEPLOYMENT = "x-sluice-deployment";
    /** How many upstream attempts the request took. */
    public static final String ATTEMPTS = "x-sluice-attempts";
    /** What the request cost its key, in US dollars. */
    public static final String COST_USD = "x-sluice-cost-usd";

    private GatewayHeaders() {
    }
}
