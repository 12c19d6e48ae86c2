package dev.sluice.store;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The quota stores' answers, in memory and in the local Redis (a key prefix for this run): a reservation that
 * adapts to the balance available, and a look at the rate-limit buckets that takes nothing.
 */
class QuotasTest {

    static final String REDIS = "redis://127.0.0.1:6379";
    static final Duration WAIT = Duration.ofSeconds(10);

    private Vertx vertx;
    private Redis client;
    private String prefix;

    private Quotas open(String kind) {
        if (kind.equals("memory")) {
            return new LocalQuotas();
        }
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, REDIS);
        prefix = "sluice_quotas_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return new RedisQuotas(RedisAPI.api(client), vertx, prefix, 30_000);
    }

    @AfterEach
    void close() {
        if (client != null) {
            RedisAPI api = RedisAPI.api(client);
            List<String> keys = new java.util.ArrayList<>();
            api.keys(prefix + ":*").await().atMost(WAIT).forEach(k -> keys.add(k.toString()));
            if (!keys.isEmpty()) {
                api.del(keys).await().atMost(WAIT);
            }
            client.close();
            vertx.closeAndAwait();
        }
    }

    private static final Quotas.Limits NONE = new Quotas.Limits(null, null, null);

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aFlexibleReservationTakesWhatTheBalanceHasDownToItsMinimum(String kind) {
        Quotas quotas = open(kind);
        quotas.balanceChanged(new Balance("k", 1_000, 1)).await().atMost(WAIT);
        Quotas.Admission first = quotas.admit(new Quotas.Request("k", "a", NONE, 10, 5_000, 300, true))
                .await().atMost(WAIT);
        assertEquals(Quotas.Verdict.ADMITTED, first.verdict());
        assertEquals(1_000, first.reservedMicros(), "all of the balance, less than the most wanted");
        assertEquals(0, first.availableMicros());
        Quotas.Admission second = quotas.admit(new Quotas.Request("k", "b", NONE, 10, 5_000, 300, true))
                .await().atMost(WAIT);
        assertEquals(Quotas.Verdict.INSUFFICIENT_BALANCE, second.verdict(), "nothing left for its minimum");
        quotas.settle(new Quotas.Settlement("k", "a", NONE, 10, 10, new Balance("k", 900, 2))).await().atMost(WAIT);
        assertEquals(0L, quotas.reserved("k").await().atMost(WAIT));
        // a fixed reservation (minimum = most) takes exactly its amount
        Quotas.Admission fixed = quotas.admit(new Quotas.Request("k", "c", NONE, 10, 400, true)).await().atMost(WAIT);
        assertEquals(Quotas.Verdict.ADMITTED, fixed.verdict());
        assertEquals(400, fixed.reservedMicros());
        assertEquals(500, fixed.availableMicros());
        Quotas.Admission tooMuch = quotas.admit(new Quotas.Request("k", "d", NONE, 10, 600, true)).await().atMost(WAIT);
        assertEquals(Quotas.Verdict.INSUFFICIENT_BALANCE, tooMuch.verdict());
        assertEquals(400L, quotas.reserved("k").await().atMost(WAIT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void peekingAtTheBucketsTakesNothing(String kind) {
        Quotas quotas = open(kind);
        Quotas.Limits limits = new Quotas.Limits(10, 1_000, null);
        Quotas.Admission fresh = quotas.peek("p", limits).await().atMost(WAIT);
        assertEquals(10, fresh.remainingRequests(), "an untouched bucket is full");
        assertEquals(1_000, fresh.remainingTokens());
        quotas.admit(new Quotas.Request("p", "x", limits, 400, 0, false)).await().atMost(WAIT);
        quotas.admit(new Quotas.Request("p", "y", limits, 100, 0, false)).await().atMost(WAIT);
        for (int i = 0; i < 3; i++) {
            Quotas.Admission seen = quotas.peek("p", limits).await().atMost(WAIT);
            assertEquals(Quotas.Verdict.ADMITTED, seen.verdict());
            assertEquals(8, seen.remainingRequests(), "two requests taken, peeks take none");
            // the buckets refill continuously: at most a few tokens back since the admissions
            long tokens = seen.remainingTokens();
            assertEquals(true, tokens >= 500 && tokens < 520, "about 500 tokens left: " + tokens);
        }
    }
}
