package dev.sluice.cache;

import dev.sluice.testing.LocalServices;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response cache in HA mode, on the machine's real Redis under a key prefix of its own: Sluice stores and
 * reads entries there, and a second Redis-backed cache (what another replica runs) reads what Sluice stored and
 * Sluice serves what the other one stored. Keys share one namespace here ({@code sluice.cache.namespace}) and
 * hits are charged in full ({@code sluice.cache.hit-cost=full}).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
@TestProfile(RedisResponseCacheTest.OnRedis.class)
class RedisResponseCacheTest {

    /** This run's prefix, one per JVM: the profile and the test class are loaded by different class loaders. */
    static final String RUN = (String) System.getProperties().computeIfAbsent("response-cache-test.prefix",
            k -> "sluice_cache_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    static final String COMPLETIONS = "/billed/v1/chat/completions";

    public static class OnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.store.redis-url", LocalServices.redis(), "sluice.store.redis-prefix", RUN,
                    "sluice.cache.namespace", "team-a", "sluice.cache.hit-cost", "full");
        }
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200, MockUpstream.completion("Cloudy", 100, 20)));
    }

    @AfterAll
    static void clean() {
        LocalServices.deleteRedisKeys(RUN);
        LocalServices.deleteRedisKeys(RUN + "_direct");
    }

    /** What another replica runs: its own Redis client and cache over the same Redis and prefix. */
    record OtherReplica(Vertx vertx, RedisAPI api, RedisCacheStore store) implements AutoCloseable {
        static OtherReplica open(String prefix) {
            Vertx vertx = Vertx.vertx();
            RedisAPI api = RedisAPI.api(Redis.createClient(vertx, LocalServices.redis()));
            return new OtherReplica(vertx, api, new RedisCacheStore(api, prefix));
        }

        @Override
        public void close() {
            api.close();
            vertx.closeAndAwait();
        }
    }

    @Test
    void aHitOnOneReplicaIsAHitOnTheOther() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"redis-cache\",\"credit_usd\":1,\"cache\":\"on\"}");
        String body = "{\"model\":\"billed/m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Will it rain in Lyon? " + UUID.randomUUID() + "\"}]}";
        try (OtherReplica other = OtherReplica.open(RUN)) {
            List<String> before = entries(other);
            VirtualKeys.chat(key, body).then().statusCode(200).header("x-sluice-cache", "miss");
            VirtualKeys.chat(key, body).then().statusCode(200).header("x-sluice-cache", "hit")
                    .body("choices[0].message.content", equalTo("Cloudy"));
            assertEquals(1, MockUpstream.count(COMPLETIONS));

            // the entry Sluice stored is in Redis, where the other replica reads it
            List<String> keys = entries(other);
            keys.removeAll(before);
            assertEquals(1, keys.size(), keys.toString());
            String hash = keys.get(0).substring((RUN + ":cache:").length());
            byte[] stored = other.store().get(hash).await().atMost(Duration.ofSeconds(10));
            assertNotNull(stored);
            JsonObject answer = new JsonObject(new String(stored, StandardCharsets.UTF_8));
            assertEquals("Cloudy", answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                    .getString("content"));
            assertTrue(!answer.getJsonObject("usage").containsKey("cost"), "a request's cost is not stored");
            long ttl = other.api().pttl(keys.get(0)).await().atMost(Duration.ofSeconds(10)).toLong();
            assertTrue(ttl > 0 && ttl <= Duration.ofHours(1).toMillis(), "stored with the default TTL: " + ttl);

            // and what the other replica stores under that key is what Sluice serves
            answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                    .put("content", "Stored by the other replica");
            other.store().put(hash, answer.encode().getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5))
                    .await().atMost(Duration.ofSeconds(10));
        }
        VirtualKeys.chat(key, body).then().statusCode(200).header("x-sluice-cache", "hit")
                .body("choices[0].message.content", equalTo("Stored by the other replica"));
        assertEquals(1, MockUpstream.count(COMPLETIONS));
    }

    private static List<String> entries(OtherReplica other) {
        List<String> keys = new java.util.ArrayList<>();
        other.api().keys(RUN + ":cache:*").await().atMost(Duration.ofSeconds(10)).forEach(r -> keys.add(r.toString()));
        return keys;
    }

    @Test
    void withASharedNamespaceEveryKeyReadsTheSameEntries() {
        String body = "{\"model\":\"billed/m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Tides in Brest? " + UUID.randomUUID() + "\"}]}";
        VirtualKeys.Key first = VirtualKeys.create("{\"name\":\"ns-a\",\"credit_usd\":1,\"cache\":\"on\"}");
        VirtualKeys.Key second = VirtualKeys.create("{\"name\":\"ns-b\",\"credit_usd\":1,\"cache\":\"on\"}");
        VirtualKeys.chat(first, body).then().statusCode(200).header("x-sluice-cache", "miss");
        // hit-cost=full: the stored usage (100 prompt, 20 completion tokens) at $1 / $2 per million
        VirtualKeys.chat(second, body).then().statusCode(200).header("x-sluice-cache", "hit")
                .header("x-sluice-cost-usd", "0.000140").body("usage.cache_hit", equalTo(true));
        assertEquals(1, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void twoRedisBackedCachesShareEntries() {
        String prefix = RUN + "_direct";
        byte[] answer = "{\"id\":\"chatcmpl-x\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
        try (OtherReplica a = OtherReplica.open(prefix); OtherReplica b = OtherReplica.open(prefix)) {
            a.store().put("k1", answer, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(10));
            assertArrayEquals(answer, b.store().get("k1").await().atMost(Duration.ofSeconds(10)));
            assertEquals(null, b.store().get("k2").await().atMost(Duration.ofSeconds(10)));
        }
    }
}
