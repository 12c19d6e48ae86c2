package dev.sluice.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One line of the usage ledger: a request (successful or not) or a credit. {@code amountMicros} is the effect
 * on the key's balance (negative for a charge, positive for a credit); {@code costMicros} what the request cost.
 *
 * @param lineId     Sluice's own unique id of the line, made when the line is made (never the client's request
 *                   id, which clients choose and may repeat): writing the same line twice stores it, and changes
 *                   the balance, once
 * @param ts         epoch milliseconds
 * @param kind       {@link #REQUEST} or {@link #CREDIT}
 * @param priced     false when the model had no price (only possible for the master key)
 * @param estimated  true when the tokens were estimated because the provider reported no usage (aborted streams)
 * @param status     the HTTP status the client received (499: the client went away)
 * @param clientSession the session the client said the request belongs to (Claude Code's
 *                   {@code x-claude-code-session-id}), or null
 * @param cacheHit   true when the answer came from the response cache (nothing was sent upstream)
 */
public record LedgerEntry(String lineId, long ts, String kind, String keyId, String requestId, String operation,
                          String requestedModel, String provider, String servedModel, String deployment,
                          boolean stream, long promptTokens, long completionTokens, long cachedTokens,
                          long reasoningTokens, int extractPages, long costMicros, long amountMicros,
                          boolean priced, boolean estimated, long latencyMs, int status, String outcome,
                          String errorCode, String note, String clientSession, boolean cacheHit) {

    public static final String REQUEST = "request";
    public static final String CREDIT = "credit";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A line that names no client session. */
    public LedgerEntry(String lineId, long ts, String kind, String keyId, String requestId, String operation,
                       String requestedModel, String provider, String servedModel, String deployment,
                       boolean stream, long promptTokens, long completionTokens, long cachedTokens,
                       long reasoningTokens, int extractPages, long costMicros, long amountMicros,
                       boolean priced, boolean estimated, long latencyMs, int status, String outcome,
                       String errorCode, String note) {
        this(lineId, ts, kind, keyId, requestId, operation, requestedModel, provider, servedModel, deployment, stream,
                promptTokens, completionTokens, cachedTokens, reasoningTokens, extractPages, costMicros, amountMicros,
                priced, estimated, latencyMs, status, outcome, errorCode, note, null);
    }

    /** A line not answered from the response cache. */
    public LedgerEntry(String lineId, long ts, String kind, String keyId, String requestId, String operation,
                       String requestedModel, String provider, String servedModel, String deployment,
                       boolean stream, long promptTokens, long completionTokens, long cachedTokens,
                       long reasoningTokens, int extractPages, long costMicros, long amountMicros,
                       boolean priced, boolean estimated, long latencyMs, int status, String outcome,
                       String errorCode, String note, String clientSession) {
        this(lineId, ts, kind, keyId, requestId, operation, requestedModel, provider, servedModel, deployment, stream,
                promptTokens, completionTokens, cachedTokens, reasoningTokens, extractPages, costMicros, amountMicros,
                priced, estimated, latencyMs, status, outcome, errorCode, note, clientSession, false);
    }

    public LedgerEntry {
        if (lineId == null || lineId.isEmpty()) {
            throw new IllegalArgumentException("a ledger line needs its id");
        }
        // the model a client asked for is its own text: kept storable (PostgreSQL refuses NUL in text) and short
        requestedModel = storable(requestedModel);
    }

    /** The most characters of client-chosen text a line keeps. */
    static final int MAX_CLIENT_TEXT = 256;

    /** Client-chosen text as a database can store it: control characters replaced by U+FFFD, at most 256 characters. */
    static String storable(String text) {
        if (text == null) {
            return null;
        }
        String cut = text.length() > MAX_CLIENT_TEXT ? text.substring(0, MAX_CLIENT_TEXT) : text;
        StringBuilder out = null;
        for (int i = 0; i < cut.length(); i++) {
            if (Character.isISOControl(cut.charAt(i))) {
                if (out == null) {
                    out = new StringBuilder(cut);
                }
                out.setCharAt(i, '\uFFFD');
            }
        }
        return out == null ? cut : out.toString();
    }

    public static LedgerEntry credit(long ts, String keyId, long micros, String note) {
        return new LedgerEntry(newLineId(), ts, CREDIT, keyId, null, null, null, null, null, null, false, 0, 0, 0, 0,
                0, 0, micros, true, false, 0, 0, "ok", null, note);
    }

    /**
     * A new line id: 48 bits of the current time in milliseconds then 80 random bits, in hex (32 characters), so
     * that ids are unique without coordination and successive lines land next to each other in the index.
     */
    public static String newLineId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        long time = System.currentTimeMillis();
        for (int i = 11; i >= 0; i--) {
            out[i] = HEX[(int) (time & 0xf)];
            time >>>= 4;
        }
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 12; i < 28; i++) {
            out[i] = HEX[(int) (high & 0xf)];
            high >>>= 4;
        }
        for (int i = 28; i < 32; i++) {
            out[i] = HEX[(int) (low & 0xf)];
            low >>>= 4;
        }
        return new String(out);
    }
}
