package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.openai.ApiException;

import java.time.Duration;
import java.util.Iterator;

/**
 * What the client asked of the cache for one request: nothing (the key's default applies), a lookup and store
 * with an optional TTL, or no cache at all. Read from the {@code x-sluice-cache} header, which wins, or from the
 * {@code cache} body object.
 *
 * @param mode what was asked
 * @param ttl  the TTL asked for, or null for the default
 */
public record CacheDirective(Mode mode, Duration ttl) {

    public static final String HEADER = "x-sluice-cache";
    public static final String FIELD = "cache";
    static final CacheDirective NONE = new CacheDirective(Mode.UNSPECIFIED, null);
    static final CacheDirective NO_CACHE = new CacheDirective(Mode.NO_CACHE, null);
    /** The longest TTL the header or body may name, in seconds (ten years: larger is a typo). */
    private static final long MAX_SECONDS = 315_360_000L;

    public enum Mode {
        /** The client said nothing: the key's setting decides, for deterministic requests only. */
        UNSPECIFIED,
        /** The client asked for the cache, even for a non-deterministic request. */
        USE,
        /** The client asked not to read or write the cache. */
        NO_CACHE
    }

    /**
     * The directive of a request: the header when present (the body object is then ignored, still removed), else
     * the body object; a malformed one is a 400.
     */
    public static CacheDirective of(String header, JsonNode body) {
        if (header != null && !header.isBlank()) {
            return header(header.strip());
        }
        return body == null ? NONE : body(body);
    }

    /** {@code no-cache} or {@code ttl=SECONDS}. */
    static CacheDirective header(String value) {
        if (value.equalsIgnoreCase("no-cache")) {
            return NO_CACHE;
        }
        if (value.regionMatches(true, 0, "ttl=", 0, 4)) {
            return new CacheDirective(Mode.USE, seconds(value.substring(4).strip(), HEADER));
        }
        throw invalid("The '" + HEADER + "' header must be 'no-cache' or 'ttl=SECONDS'", null);
    }

    /** {@code {"ttl": N}}, {@code {"no_cache": true}} or {@code {}} (the default TTL). */
    static CacheDirective body(JsonNode cache) {
        if (cache.isNull()) {
            return NONE;
        }
        if (!cache.isObject()) {
            throw invalid("Invalid 'cache': expected an object such as {\"ttl\": 300} or {\"no_cache\": true}",
                    FIELD);
        }
        for (Iterator<String> names = cache.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("ttl") && !name.equals("no_cache")) {
                throw invalid("Invalid 'cache." + name + "': only 'ttl' and 'no_cache' are known",
                        FIELD + "." + name);
            }
        }
        JsonNode noCache = cache.get("no_cache");
        if (noCache != null && !noCache.isNull()) {
            if (!noCache.isBoolean()) {
                throw invalid("Invalid 'cache.no_cache': expected a boolean", FIELD + ".no_cache");
            }
            if (noCache.asBoolean()) {
                return NO_CACHE;
            }
        }
        JsonNode ttl = cache.get("ttl");
        if (ttl == null || ttl.isNull()) {
            return new CacheDirective(Mode.USE, null);
        }
        if (!ttl.isIntegralNumber()) {
            throw invalid("Invalid 'cache.ttl': expected a whole number of seconds", FIELD + ".ttl");
        }
        return new CacheDirective(Mode.USE, seconds(ttl.asText(), FIELD + ".ttl"));
    }

    private static Duration seconds(String text, String param) {
        long s;
        try {
            s = Long.parseLong(text);
        } catch (NumberFormatException e) {
            s = -1;
        }
        if (s <= 0 || s > MAX_SECONDS) {
            String what = param.equals(HEADER) ? "The '" + HEADER + "' header's ttl" : "Invalid '" + param + "':";
            throw invalid(what + " must be a whole number of seconds between 1 and " + MAX_SECONDS,
                    param.equals(HEADER) ? null : param);
        }
        return Duration.ofSeconds(s);
    }

    private static ApiException invalid(String message, String param) {
        return ApiException.invalidRequest(message, param);
    }

    /** The TTL to store an entry with: the one asked for (or the default), never beyond {@code max}. */
    public Duration ttlOr(Duration fallback, Duration max) {
        Duration t = ttl != null ? ttl : fallback;
        return t.compareTo(max) > 0 ? max : t;
    }
}
