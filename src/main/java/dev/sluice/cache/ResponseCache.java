package dev.sluice.cache;

import dev.sluice.store.SharedState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The response cache's storage and meters: Caffeine in this process on a single replica, Redis when the store
 * shares state through Redis (so that a hit on one replica is a hit on every other), chosen once at start like
 * the quotas are.
 */
@ApplicationScoped
public class ResponseCache {

    static final String LOOKUPS = "sluice_response_cache_lookups";
    static final String BYTES = "sluice_response_cache_bytes";

    /** What a lookup decided, the {@code result} tag of {@value #LOOKUPS}. */
    enum Lookup {
        HIT, MISS, BYPASS
    }

    private final CacheStore store;
    private final Map<Lookup, Counter> lookups = new EnumMap<>(Lookup.class);

    @Inject
    public ResponseCache(CacheConfig config, SharedState shared, MeterRegistry registry) {
        if (shared.redis().isPresent()) {
            store = new RedisCacheStore(shared.redis().get(), shared.redisPrefix());
            if (config.enabled()) {
                Log.info("Response cache: shared through Redis");
            }
        } else {
            LocalCacheStore local = new LocalCacheStore(config.maxBytes().asLongValue());
            store = local;
            Gauge.builder(BYTES, local, LocalCacheStore::bytes).baseUnit("bytes")
                    .description("Bytes held by the in-process response cache").register(registry);
        }
        for (Lookup lookup : Lookup.values()) {
            lookups.put(lookup, Counter.builder(LOOKUPS).tag("result", lookup.name().toLowerCase(Locale.ROOT))
                    .description("Response cache decisions: hit, miss (then stored), bypass (not cacheable)")
                    .register(registry));
        }
    }

    CacheStore store() {
        return store;
    }

    void count(Lookup lookup) {
        lookups.get(lookup).increment();
    }
}
