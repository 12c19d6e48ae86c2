package dev.sluice.cache;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the exact response cache (see docs/response-cache.md). */
@ConfigMapping(prefix = "sluice.cache")
public interface CacheConfig {

    /** Off: nothing is looked up or stored, whatever keys and requests ask, and no request carries the header. */
    @WithDefault("true")
    boolean enabled();

    /** The most bytes the in-process cache holds (single replica); least recently used entries go first. */
    @WithDefault("64M")
    MemorySize maxBytes();

    /** The largest answer stored; a bigger one is served but not cached. */
    @WithDefault("1M")
    MemorySize maxEntryBytes();

    /** How long an entry lives when the request named no TTL. */
    @WithDefault("1h")
    Duration defaultTtl();

    /** The longest TTL a request may ask for; longer ones are lowered to it. */
    @WithDefault("24h")
    Duration maxTtl();

    /**
     * When set, every key reads and writes entries in this one namespace (keys share answers); by default each key
     * has its own.
     */
    Optional<String> namespace();

    /** What a hit costs: {@code free} (nothing) or {@code full} (the price of the stored usage, as if answered). */
    @WithDefault("free")
    HitCost hitCost();

    enum HitCost {
        FREE, FULL
    }
}
