package dev.sluice.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.mutiny.Uni;

import java.time.Duration;

/**
 * Answers kept in this process by Caffeine, bounded by their size in bytes (not their number: one long answer is
 * not one short one), each entry expiring after its own TTL.
 */
final class LocalCacheStore implements CacheStore {

    /** What an entry costs beyond its bytes: its key (64 hex characters) and the objects holding it. */
    static final int ENTRY_OVERHEAD = 160;

    private record Entry(byte[] answer, long ttlNanos) {
    }

    private final Cache<String, Entry> cache;

    LocalCacheStore(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, Entry e) -> e.answer.length + ENTRY_OVERHEAD)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry e, long now) {
                        return e.ttlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry e, long now, long current) {
                        return e.ttlNanos;
                    }

                    @Override
                    public long expireAfterRead(String key, Entry e, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    @Override
    public Uni<byte[]> get(String key) {
        Entry e = cache.getIfPresent(key);
        return Uni.createFrom().item(e == null ? null : e.answer);
    }

    @Override
    public Uni<Void> put(String key, byte[] answer, Duration ttl) {
        cache.put(key, new Entry(answer, ttl.toNanos()));
        return Uni.createFrom().voidItem();
    }

    /** Runs pending evictions now (Caffeine runs them lazily). */
    void cleanUp() {
        cache.cleanUp();
    }

    /** The bytes held now (answers plus their per-entry overhead). */
    long bytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
