package dev.sluice.store;

import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Chooses where quotas and key-change notices live: in this process, or in Redis when
 * {@code sluice.store.redis-url} is set. The Redis client is created only then, so nothing tries to reach a
 * Redis that was not asked for.
 */
@ApplicationScoped
public class SharedState {

    private final Redis client;
    private final Quotas quotas;
    private final KeyChanges changes;
    private final String prefix;

    @Inject
    public SharedState(StoreConfig config, Vertx vertx) {
        prefix = config.redisPrefix();
        String url = config.redisUrl().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (url == null) {
            client = null;
            quotas = new LocalQuotas();
            changes = new LocalKeyChanges();
            Log.info("Rate limits and reservations: in memory (single replica)");
        } else {
            client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(16)
                    .setMaxPoolWaiting(4096).setMaxWaitingHandlers(8192));
            RedisAPI api = RedisAPI.api(client);
            quotas = new RedisQuotas(api, vertx, config.redisPrefix(), config.leaseTtl().toMillis());
            changes = new RedisKeyChanges(client, api, vertx, config.redisPrefix());
            Log.info("Rate limits, reservations and revocations: shared through Redis");
        }
    }

    public boolean shared() {
        return client != null;
    }

    /** The Redis commands of the shared state, for other state replicas share (the response cache); empty without Redis. */
    public java.util.Optional<RedisAPI> redis() {
        return client == null ? java.util.Optional.empty() : java.util.Optional.of(RedisAPI.api(client));
    }

    /** The prefix of every Redis key Sluice uses. */
    public String redisPrefix() {
        return prefix;
    }

    /** A PING to Redis when it is used; completes at once otherwise. */
    public io.smallrye.mutiny.Uni<Void> ping() {
        if (client == null) {
            return io.smallrye.mutiny.Uni.createFrom().voidItem();
        }
        return RedisAPI.api(client).ping(java.util.List.of()).replaceWithVoid();
    }

    @Produces
    @Singleton
    Quotas quotas() {
        return quotas;
    }

    @Produces
    @Singleton
    KeyChanges keyChanges() {
        return changes;
    }

    @PreDestroy
    void close() {
        if (changes instanceof RedisKeyChanges r) {
            r.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
