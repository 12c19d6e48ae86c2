package dev.sluice.store;

/**
 * One line of the usage ledger: a request (successful or not) or a credit. {@code amountMicros} is the effect
 * on the key's balance (negative for a charge, positive for a credit); {@code costMicros} what the request cost.
 *
 * @param ts         epoch milliseconds
 * @param kind       {@link #REQUEST} or {@link #CREDIT}
 * @param priced     false when the model had no price (only possible for the master key)
 * @param estimated  true when the tokens were estimated because the provider reported no usage (aborted streams)
 * @param status     the HTTP status the client received (499: the client went away)
 */
public record LedgerEntry(long ts, String kind, String keyId, String requestId, String operation,
                          String requestedModel, String provider, String servedModel, String deployment,
                          boolean stream, long promptTokens, long completionTokens, long cachedTokens,
                          long reasoningTokens, int extractPages, long costMicros, long amountMicros,
                          boolean priced, boolean estimated, long latencyMs, int status, String outcome,
                          String errorCode, String note) {

    public static final String REQUEST = "request";
    public static final String CREDIT = "credit";

    public static LedgerEntry credit(long ts, String keyId, long micros, String note) {
        return new LedgerEntry(ts, CREDIT, keyId, null, null, null, null, null, null, false, 0, 0, 0, 0, 0, 0,
                micros, true, false, 0, 0, "ok", null, note);
    }
}
