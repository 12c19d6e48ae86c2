package dev.sluice.logs;

/**
 * What a request-log listing asks for; null fields do not filter. Newest first; {@code before} is the cursor (the
 * {@code id} of the last row of the previous page).
 *
 * @param model matches the model requested, the model served, or {@code provider/served-model}
 * @param from  epoch milliseconds, inclusive
 * @param to    epoch milliseconds, exclusive
 */
public record LogFilter(String keyId, String model, Integer status, String session, Long from, Long to, Long before,
                        int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
}
