package dev.sluice.logs;

/**
 * One row of the request log. Bodies are null unless bodies were enabled for the request; by the time a row is
 * stored they are masked and capped ({@link SecretMask}).
 *
 * @param id          the row's own number, increasing with insertion (0 before it is stored); the paging cursor
 * @param ts          when the request arrived, epoch milliseconds
 * @param protocol    the route the client spoke: {@code chat}, {@code embeddings}, {@code messages}, {@code responses}
 * @param outcome     {@code ok}, {@code failed} or {@code aborted}
 * @param durationUs  the whole exchange, until its last bytes were released
 * @param overheadUs  Sluice's own share of it (what {@code x-sluice-overhead-ms} reports)
 * @param ttftUs      for a stream, the time until its first chunk; null otherwise
 */
public record LogEntry(long id, String requestId, long ts, String keyId, String session, String protocol,
                       String operation, boolean stream, String requestedModel, String servedModel, String provider,
                       String deployment, int attempts, int status, String outcome, String errorCode,
                       long durationUs, long overheadUs, Long ttftUs, long promptTokens, long completionTokens,
                       long cachedTokens, long reasoningTokens, long costMicros, boolean estimated,
                       String requestBody, String responseBody) {

    /** What a row weighs for the size limit: its bodies plus a fixed allowance for the other columns. */
    public long bytes() {
        return 256 + length(requestBody) + length(responseBody);
    }

    /** The same row with the texts a client chose (ids, session, model, bodies) replaced by their masked form. */
    LogEntry masked(SecretMask mask) {
        return new LogEntry(id, mask.mask(requestId), ts, keyId, mask.mask(session), protocol, operation, stream,
                mask.mask(requestedModel), servedModel, provider, deployment, attempts, status, outcome, errorCode,
                durationUs, overheadUs, ttftUs, promptTokens, completionTokens, cachedTokens, reasoningTokens,
                costMicros, estimated, mask.apply(requestBody), mask.apply(responseBody));
    }

    /** The same row without its bodies (when they could not be masked). */
    LogEntry withoutBodies() {
        return new LogEntry(id, requestId, ts, keyId, session, protocol, operation, stream, requestedModel,
                servedModel, provider, deployment, attempts, status, outcome, errorCode, durationUs, overheadUs,
                ttftUs, promptTokens, completionTokens, cachedTokens, reasoningTokens, costMicros, estimated, null,
                null);
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }
}
