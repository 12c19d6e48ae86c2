package dev.sluice.cache;

import dev.sluice.billing.LedgerRows;
import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response cache on a single replica (in-process store), through the HTTP API: what a client sees (the
 * {@code x-sluice-cache} header, the answer, its cost), what the upstream receives, and what the ledger records.
 * The "billed" provider costs $1 / $2 per million input / output tokens.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ResponseCacheTest {

    static final String COMPLETIONS = "/billed/v1/chat/completions";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200,
                MockUpstream.completion("Sunny with a light breeze all afternoon", 1000, 500)));
    }

    /** A request no other test sends, so that entries of other tests never answer it. */
    static String question() {
        return "What is the weather in Paris? (" + UUID.randomUUID() + ")";
    }

    static String body(String question, String extra) {
        return "{\"model\":\"billed/m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"" + question
                + "\"}]" + extra + "}";
    }

    static VirtualKeys.Key cachingKey(String name) {
        return VirtualKeys.create("{\"name\":\"" + name + "\",\"credit_usd\":1,\"cache\":\"on\"}");
    }

    static Response post(VirtualKeys.Key key, String body, String... headers) {
        var request = given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.when().post("/v1/chat/completions");
    }

    @Test
    void theSecondIdenticalRequestIsServedFromTheCacheFreeOfCharge() {
        VirtualKeys.Key key = cachingKey("cache-hit");
        String body = body(question(), "");
        post(key, body).then().statusCode(200)
                .header("x-sluice-cache", "miss")
                .header("x-sluice-cost-usd", "0.002000")
                .body("usage.cost", equalTo(0.002f));
        assertEquals(1, MockUpstream.count(COMPLETIONS));

        post(key, body).then().statusCode(200)
                .header("x-sluice-cache", "hit")
                .header("x-sluice-cost-usd", "0.000000")
                .body("choices[0].message.content", equalTo("Sunny with a light breeze all afternoon"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", equalTo(1000))
                .body("usage.cost", equalTo(0f))
                .body("usage.cache_hit", equalTo(true));
        assertEquals(1, MockUpstream.count(COMPLETIONS), "the hit never reached the upstream");

        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        assertEquals(2, rows.size());
        Map<String, Object> miss = rows.stream().filter(r -> ((Number) r.get("cache_hit")).intValue() == 0)
                .findFirst().orElseThrow();
        Map<String, Object> hit = rows.stream().filter(r -> ((Number) r.get("cache_hit")).intValue() == 1)
                .findFirst().orElseThrow();
        assertEquals(2000L, ((Number) miss.get("cost_micros")).longValue());
        assertEquals(0L, ((Number) hit.get("cost_micros")).longValue());
        assertEquals(1000L, ((Number) hit.get("prompt_tokens")).longValue());
        assertEquals(200, ((Number) hit.get("status")).intValue());
        assertEquals(1_000_000L - 2000L, LedgerRows.balance(db, key.id()));
    }

    @Test
    void aHitStillCountsAgainstTheKeysRateLimit() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"cache-rpm\",\"credit_usd\":1,\"cache\":\"on\","
                + "\"rpm\":2}");
        String body = body(question(), "");
        post(key, body).then().statusCode(200).header("x-sluice-cache", "miss")
                .header("x-ratelimit-remaining-requests", "1");
        post(key, body).then().statusCode(200).header("x-sluice-cache", "hit")
                .header("x-ratelimit-remaining-requests", "0");
        post(key, body).then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"));
        assertEquals(1, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void anotherKeyNeverReadsThisKeysEntries() {
        String body = body(question(), "");
        post(cachingKey("cache-owner"), body).then().statusCode(200).header("x-sluice-cache", "miss");
        post(cachingKey("cache-other"), body).then().statusCode(200).header("x-sluice-cache", "miss");
        assertEquals(2, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void fieldOrderDoesNotMatter() {
        VirtualKeys.Key key = cachingKey("cache-order");
        String q = question();
        post(key, "{\"model\":\"billed/m\",\"temperature\":0,\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + q + "\"}]}").then().statusCode(200).header("x-sluice-cache", "miss");
        post(key, "{\"messages\":[{\"content\":\"" + q + "\",\"role\":\"user\"}],\"max_tokens\":50,"
                + "\"model\":\"billed/m\",\"temperature\":0.0}").then().statusCode(200).header("x-sluice-cache", "hit");
        assertEquals(1, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void noCacheBypassesTheCacheBothWays() {
        VirtualKeys.Key key = cachingKey("cache-bypass");
        String body = body(question(), "");
        post(key, body, "x-sluice-cache", "no-cache").then().statusCode(200).header("x-sluice-cache", "bypass");
        post(key, body).then().statusCode(200).header("x-sluice-cache", "miss");
        post(key, body, "x-sluice-cache", "no-cache").then().statusCode(200).header("x-sluice-cache", "bypass");
        post(key, body.replace("\"temperature\":0", "\"temperature\":0,\"cache\":{\"no_cache\":true}"))
                .then().statusCode(200).header("x-sluice-cache", "bypass");
        assertEquals(4, MockUpstream.count(COMPLETIONS));
        post(key, body).then().statusCode(200).header("x-sluice-cache", "hit");
        assertEquals(4, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void aSampledRequestIsCachedOnlyWhenItsClientAsks() {
        VirtualKeys.Key key = cachingKey("cache-sampled");
        String body = body(question(), "").replace("\"temperature\":0", "\"temperature\":0.7");
        post(key, body).then().statusCode(200).header("x-sluice-cache", "bypass");
        post(key, body).then().statusCode(200).header("x-sluice-cache", "bypass");
        assertEquals(2, MockUpstream.count(COMPLETIONS));
        post(key, body, "x-sluice-cache", "ttl=600").then().statusCode(200).header("x-sluice-cache", "miss");
        post(key, body, "x-sluice-cache", "ttl=600").then().statusCode(200).header("x-sluice-cache", "hit");
        assertEquals(3, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void aRequestThatReadsWebPagesIsNotCached() {
        MockUpstream.on("GET", "/cache-page", MockUpstream.html("<html><body><article><h1>Tides</h1><p>The tide "
                + "rises twice a day, pulled by the moon and, less, by the sun.</p></article></body></html>"));
        VirtualKeys.Key key = cachingKey("cache-web");
        String body = body(question(), ",\"web_extract\":{\"urls\":[\"" + MockUpstream.pageUrl("/cache-page")
                + "?" + UUID.randomUUID() + "\"]}");
        post(key, body, "x-sluice-cache", "ttl=600").then().statusCode(200).header("x-sluice-cache", "bypass");
        post(key, body, "x-sluice-cache", "ttl=600").then().statusCode(200).header("x-sluice-cache", "bypass");
        assertEquals(2, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void aKeyWithoutTheCacheUsesItOnlyWhenTheRequestAsks() {
        VirtualKeys.Key key = VirtualKeys.withCredit("cache-off", "1");
        String body = body(question(), "");
        Response plain = post(key, body);
        plain.then().statusCode(200);
        assertNull(plain.header("x-sluice-cache"), "a key without the cache gets no cache header");
        String asking = body(question(), ",\"cache\":{\"ttl\":120}");
        post(key, asking).then().statusCode(200).header("x-sluice-cache", "miss");
        post(key, asking).then().statusCode(200).header("x-sluice-cache", "hit");
        assertEquals(2, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void theCacheObjectNeverReachesTheUpstream() {
        VirtualKeys.Key key = VirtualKeys.withCredit("cache-strip", "1");
        post(key, body(question(), ",\"cache\":{\"ttl\":60}")).then().statusCode(200);
        JsonObject sent = MockUpstream.last(COMPLETIONS).json();
        assertFalse(sent.containsKey("cache"), sent.encode());
        post(key, body(question(), ",\"cache\":{\"no_cache\":true}")).then().statusCode(200);
        sent = MockUpstream.last(COMPLETIONS).json();
        assertFalse(sent.containsKey("cache"), sent.encode());
    }

    @Test
    void anthropicMessagesBypassTheCacheWithoutAHeader() {
        String body = "{\"model\":\"anthropic/claude-test\",\"max_tokens\":50,\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question() + "\"}]}";
        for (int i = 0; i < 2; i++) {
            Response r = given().header("x-api-key", MockUpstream.MASTER_KEY).header("anthropic-version", "2023-06-01")
                    .header("x-sluice-cache", "ttl=600").contentType(ContentType.JSON).body(body)
                    .when().post("/v1/messages");
            r.then().statusCode(200);
            assertNull(r.header("x-sluice-cache"));
        }
        assertEquals(2, MockUpstream.count("/anthropic/v1/messages"));
    }

    @Test
    void aMalformedDirectiveIsA400() {
        VirtualKeys.Key key = VirtualKeys.withCredit("cache-bad", "1");
        post(key, body(question(), ""), "x-sluice-cache", "ttl=soon").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        post(key, body(question(), ",\"cache\":{\"ttl\":\"soon\"}")).then().statusCode(400)
                .body("error.param", equalTo("cache.ttl"));
        assertEquals(0, MockUpstream.count(COMPLETIONS));
    }

    @Test
    void aCachedAnswerIsReplayedAsAStreamChunkByChunk() throws Exception {
        VirtualKeys.Key key = cachingKey("cache-stream");
        String q = question();
        // stored by a non-streaming request...
        post(key, body(q, "")).then().statusCode(200).header("x-sluice-cache", "miss");
        // ...replayed to a streaming one
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions",
                        body(q, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertEquals(200, result.status());
        assertTrue(result.contentType().startsWith("text/event-stream"), result.contentType());
        assertEquals(1, MockUpstream.count(COMPLETIONS));
        assertTrue(result.events().get(result.events().size() - 1).done(), result.rawBody());
        List<JsonObject> chunks = result.chunks();
        assertEquals("assistant", chunks.get(0).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("role"));
        StringBuilder text = new StringBuilder();
        int textChunks = 0;
        for (JsonObject c : chunks) {
            assertEquals("chat.completion.chunk", c.getString("object"));
            var choices = c.getJsonArray("choices");
            if (!choices.isEmpty() && choices.getJsonObject(0).getJsonObject("delta").containsKey("content")) {
                String piece = choices.getJsonObject(0).getJsonObject("delta").getString("content");
                if (!piece.isEmpty()) {
                    textChunks++;
                }
                text.append(piece);
            }
        }
        assertEquals("Sunny with a light breeze all afternoon", text.toString());
        assertTrue(textChunks >= 2, "the text comes in several chunks: " + result.rawBody());
        JsonObject finish = chunks.get(chunks.size() - 2);
        assertEquals("stop", finish.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
        JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
        assertEquals(1500, usage.getInteger("total_tokens"));
        assertEquals(0.0, usage.getDouble("cost"), 0);
        assertTrue(usage.getBoolean("cache_hit"));
    }

    @Test
    void aStreamedAnswerIsStoredAndServedToAStreamAndToAWholeRequest() throws Exception {
        VirtualKeys.Key key = cachingKey("cache-stored-stream");
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null), chunk("{\"content\":\"Rain\"}", null),
                chunk("{\"content\":\" later\"}", null), chunk("{}", "stop"), usageChunk(300, 40), "[DONE]"));
        String q = question();
        String stream = body(q, ",\"stream\":true");
        Sse.Result first = Sse.send(Sse.post("/v1/chat/completions", stream)
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertEquals(200, first.status());
        assertEquals(1, MockUpstream.count(COMPLETIONS));

        Sse.Result second = Sse.send(Sse.post("/v1/chat/completions", stream)
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertEquals(200, second.status());
        assertTrue(second.events().get(second.events().size() - 1).done());
        StringBuilder text = new StringBuilder();
        for (JsonObject c : second.chunks()) {
            assertFalse(c.containsKey("usage"), "no usage reaches a client that did not ask: " + c);
            var choices = c.getJsonArray("choices");
            if (!choices.isEmpty()) {
                text.append(choices.getJsonObject(0).getJsonObject("delta").getString("content", ""));
            }
        }
        assertEquals("Rain later", text.toString());

        post(key, body(q, "")).then().statusCode(200).header("x-sluice-cache", "hit")
                .body("choices[0].message.content", equalTo("Rain later"))
                .body("usage.total_tokens", equalTo(340));
        assertEquals(1, MockUpstream.count(COMPLETIONS), "both hits were answered without the upstream");
        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        assertEquals(3, rows.size());
        assertEquals(2, rows.stream().filter(r -> ((Number) r.get("cache_hit")).intValue() == 1).count());
    }

    @Test
    void hitsMissesAndBytesAreInTheMetrics() {
        VirtualKeys.Key key = cachingKey("cache-metrics");
        String body = body(question(), "");
        post(key, body).then().statusCode(200).header("x-sluice-cache", "miss");
        post(key, body).then().statusCode(200).header("x-sluice-cache", "hit");
        String metrics = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("sluice_response_cache_lookups_total{result=\"hit\"}"), metrics);
        assertTrue(metrics.contains("sluice_response_cache_lookups_total{result=\"miss\"}"), metrics);
        String bytes = metrics.lines().filter(l -> l.startsWith("sluice_response_cache_bytes ")).findFirst()
                .orElseThrow(() -> new AssertionError("no bytes gauge"));
        assertTrue(Double.parseDouble(bytes.substring(bytes.indexOf(' ') + 1)) > 0, bytes);
    }

    @Test
    void theKeySettingIsManagedThroughTheAdminApi() {
        VirtualKeys.Key key = VirtualKeys.withCredit("cache-admin", "1");
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys/" + key.id())
                .then().statusCode(200).body("cache", equalTo("off"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"cache\":\"on\"}")
                .when().patch("/admin/keys/" + key.id())
                .then().statusCode(200).body("cache", equalTo("on"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"cache\":\"sometimes\"}")
                .when().patch("/admin/keys/" + key.id())
                .then().statusCode(400).body("error.param", equalTo("cache"));
    }
}
