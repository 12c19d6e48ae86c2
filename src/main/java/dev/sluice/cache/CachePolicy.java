package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Whether one request uses the cache, from what its client asked, its key's setting and the request itself. A
 * request that can give a different answer each time (sampling: {@code temperature} above 0, or absent, which
 * means the provider's default of about 1, without a {@code seed}) is cached only when its client asked
 * explicitly: a key's default never turns it into a fixed answer.
 */
public final class CachePolicy {

    public enum Decision {
        /** The cache plays no part (nothing asked, key off): no header. */
        OFF,
        /** The cache was asked for or is on for the key, but not for this request ({@code no-cache}, sampling). */
        BYPASS,
        /** Looked up, and stored on a miss. */
        USE
    }

    private CachePolicy() {
    }

    public static Decision decide(CacheDirective directive, boolean keyDefault, ObjectNode body) {
        return switch (directive.mode()) {
            case NO_CACHE -> Decision.BYPASS;
            case USE -> Decision.USE;
            case UNSPECIFIED -> !keyDefault ? Decision.OFF
                    : deterministic(body) ? Decision.USE : Decision.BYPASS;
        };
    }

    /** A request that asks for the same answer each time: temperature 0, or a seed. */
    static boolean deterministic(ObjectNode body) {
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull()) {
            return true;
        }
        JsonNode temperature = body.get("temperature");
        return temperature != null && temperature.isNumber() && temperature.decimalValue().signum() == 0;
    }
}
