package dev.sluice.cache;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Answers shared by every replica through Redis, one string per entry under {@code <prefix>:cache:<hash>} with
 * Redis's own expiry ({@code SET ... PX}). Redis bounds the memory (its {@code maxmemory} policy), not Sluice.
 */
final class RedisCacheStore implements CacheStore {

    private final RedisAPI redis;
    private final String prefix;

    RedisCacheStore(RedisAPI redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix + ":cache:";
    }

    @Override
    public Uni<byte[]> get(String key) {
        return redis.get(prefix + key).map(r -> r == null ? null : r.toBytes());
    }

    @Override
    public Uni<Void> put(String key, byte[] answer, Duration ttl) {
        return redis.set(List.of(prefix + key, new String(answer, StandardCharsets.UTF_8), "PX",
                Long.toString(Math.max(1, ttl.toMillis())))).replaceWithVoid();
    }
}
