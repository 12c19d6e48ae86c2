package dev.sluice.billing;

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

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static dev.sluice.testing.VirtualKeys.chat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prices, reservations, settlement and rate limits on the request path. The "billed" mock provider costs $1 per
 * million input tokens and $2 per million output tokens: 1 and 2 micro-dollars per token.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class MeteringTest {

    static final String COMPLETIONS = "/billed/v1/chat/completions";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    static String body(boolean stream, String extra) {
        return "{\"model\":\"billed/m\",\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the weather in Paris today, briefly.\"}]}";
    }

    @Test
    void aResponseReportsItsCostAndTheBalanceMovesByExactlyThat() {
        VirtualKeys.Key key = VirtualKeys.withCredit("costs", "1");
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200, MockUpstream.completion("Sunny", 1000, 500)));
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ",\"max_tokens\":600"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-sluice-cost-usd", "0.002000")
                .body("usage.cost", equalTo(0.002f))
                .body("usage.prompt_tokens", equalTo(1000));
        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        assertEquals(1, rows.size());
        Map<String, Object> row = rows.get(0);
        assertEquals(2000L, ((Number) row.get("cost_micros")).longValue());
        assertEquals(-2000L, ((Number) row.get("amount_micros")).longValue());
        assertEquals("billed", row.get("provider"));
        assertEquals("m", row.get("served_model"));
        assertEquals(200, ((Number) row.get("status")).intValue());
        assertEquals(1_000_000L - 2000L, LedgerRows.balance(db, key.id()));
        given().auth().oauth2(key.secret()).when().get("/v1/balance")
                .then().statusCode(200).body("balance_usd", equalTo(0.998f)).body("spent_usd", equalTo(0.002f))
                .body("reserved_usd", equalTo(0f));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys/" + key.id())
                .then().statusCode(200).body("balance_usd", equalTo(0.998f));
    }

    @Test
    void aRequestTheBalanceCannotCoverIsRefusedBeforeTheProvider() {
        VirtualKeys.Key key = VirtualKeys.withCredit("poor", "0.0001"); // 100 micro-dollars
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ",\"max_tokens\":1000"))
                .when().post("/v1/chat/completions")
                .then().statusCode(429).body("error.code", equalTo("insufficient_quota"))
                .body("error.type", equalTo("insufficient_quota"));
        assertTrue(MockUpstream.received().isEmpty());
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, key.id())).get(0);
        assertEquals(429, ((Number) row.get("status")).intValue());
        assertEquals(0L, ((Number) row.get("cost_micros")).longValue());
    }

    @Test
    void aModelWithoutAPriceIsRefusedForVirtualKeys() {
        VirtualKeys.Key key = VirtualKeys.withCredit("unpriced", "1");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"slowpoke/whatever\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(403).body("error.code", equalTo("model_not_priced"))
                .body("error.message", containsString("slowpoke/whatever"));
        assertTrue(MockUpstream.received().isEmpty());
    }

    @Test
    void rpmIsEnforcedWithOpenAiHeadersOnEveryResponse() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"rpm\",\"credit_usd\":1,\"rpm\":2,\"tpm\":100000}");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ""))
                    .when().post("/v1/chat/completions")
                    .then().statusCode(200)
                    .header("x-ratelimit-limit-requests", "2")
                    .header("x-ratelimit-remaining-requests", String.valueOf(1 - i))
                    .header("x-ratelimit-reset-requests", notNullValue())
                    .header("x-ratelimit-limit-tokens", "100000")
                    .header("x-ratelimit-remaining-tokens", notNullValue())
                    .header("x-ratelimit-reset-tokens", notNullValue());
        }
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ""))
                .when().post("/v1/chat/completions")
                .then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"))
                .header("Retry-After", notNullValue())
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-limit-requests", "2");
        assertEquals(2, MockUpstream.received().size());
    }

    @Test
    void tpmCountsTheEstimateAndCorrectsToTheRealUsage() {
        // each request takes prompt estimate + max_tokens from the bucket, then gives back what it did not use
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"tpm\",\"credit_usd\":1,\"tpm\":1000}");
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200, MockUpstream.completion("ok", 20, 10)));
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ",\"max_tokens\":900"))
                .when().post("/v1/chat/completions").then().statusCode(200);
        // without the correction, the bucket would be nearly empty now
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ",\"max_tokens\":900"))
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ",\"max_tokens\":2000"))
                .when().post("/v1/chat/completions").then().statusCode(429)
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("tokens per minute"));
    }

    @Test
    void maxParallelRefusesTheRequestBeyondTheLimit() throws Exception {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"par\",\"credit_usd\":1,\"max_parallel\":1}");
        MockUpstream.on("POST", COMPLETIONS, ctx -> MockUpstream.vertx().setTimer(800,
                t -> MockUpstream.json(200, MockUpstream.completion("slow")).handle(ctx)));
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> given().auth().oauth2(key.secret())
                .contentType(ContentType.JSON).body(body(false, "")).when().post("/v1/chat/completions").statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (MockUpstream.received().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ""))
                .when().post("/v1/chat/completions")
                .then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("in parallel"));
        assertEquals(200, first.get(10, TimeUnit.SECONDS));
        // the slot is free again as soon as the first response has been received
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(false, ""))
                .when().post("/v1/chat/completions").then().statusCode(200);
    }

    @Test
    void aStreamAlwaysAsksForUsageAndHidesItFromAClientThatDidNot() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("stream-hidden", "1");
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                chunk("{\"role\":\"assistant\",\"content\":\"Sun\"}", null).replace("}]}", "}],\"usage\":null}"),
                chunk("{\"content\":\"ny\"}", null).replace("}]}", "}],\"usage\":null}"),
                chunk("{}", "stop").replace("}]}", "}],\"usage\":null}"),
                usageChunk(300, 40), "[DONE]"));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", body(true, ""))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertEquals(200, result.status());
        assertTrue(MockUpstream.last(COMPLETIONS).json().getJsonObject("stream_options").getBoolean("include_usage"));
        assertEquals(3, result.chunks().size(), result.rawBody());
        for (JsonObject c : result.chunks()) {
            assertFalse(c.containsKey("usage"), "no usage field reaches a client that did not ask: " + c);
        }
        assertTrue(result.events().get(result.events().size() - 1).done());
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, key.id())).get(0);
        assertEquals(300 + 80L, ((Number) row.get("cost_micros")).longValue());
        assertEquals(0, ((Number) row.get("estimated")).intValue());
    }

    @Test
    void aStreamWhoseClientAskedForUsageGetsItWithTheCost() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("stream-usage", "1");
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                chunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null), chunk("{}", "stop"), usageChunk(100, 50),
                "[DONE]"));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions",
                        body(true, ",\"stream_options\":{\"include_usage\":true}"))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        JsonObject last = result.chunks().get(result.chunks().size() - 1);
        assertEquals(150, last.getJsonObject("usage").getInteger("total_tokens"));
        assertEquals(0.0002, last.getJsonObject("usage").getDouble("cost"), 1e-12);
        assertEquals(1_000_000L - 200L, LedgerRows.balance(db, key.id()));
    }

    @Test
    void anAbortedStreamIsChargedForWhatWasProduced() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("aborted", "1");
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"The weather in Paris is mild "
                    + "and pleasant\"}", null) + "\n\n");
            // ...and then nothing: the client gives up
        });
        var response = Sse.open(Sse.post("/v1/chat/completions", body(true, ""))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        InputStream in = response.body();
        assertTrue(in.read(new byte[64]) > 0);
        in.close();
        List<Map<String, Object>> rows = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rows.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        }
        assertEquals(1, rows.size());
        Map<String, Object> row = rows.get(0);
        assertEquals("aborted", row.get("outcome"));
        assertEquals(1, ((Number) row.get("estimated")).intValue());
        long completion = ((Number) row.get("completion_tokens")).longValue();
        long prompt = ((Number) row.get("prompt_tokens")).longValue();
        assertTrue(completion >= 7 && completion <= 15, "the relayed text is about 10 tokens: " + completion);
        assertTrue(prompt > 10, "the prompt is charged: " + prompt);
        long cost = ((Number) row.get("cost_micros")).longValue();
        assertEquals(prompt + 2 * completion, cost);
        // the reservation is released and the balance is the credit minus the ledger charge
        long deadline2 = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (LedgerRows.balance(db, key.id()) != 1_000_000L - cost && System.nanoTime() < deadline2) {
            Thread.sleep(20);
        }
        assertEquals(1_000_000L - cost, LedgerRows.balance(db, key.id()));
        given().auth().oauth2(key.secret()).when().get("/v1/balance").then().body("reserved_usd", equalTo(0f));
    }

    @Test
    void aStreamThatFailsMidwayIsChargedForWhatWasProduced() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("cut", "1");
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"Partial answer\"}", null)
                    + "\n\n");
            MockUpstream.vertx().setTimer(100, t -> ctx.response().reset());
        });
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", body(true, ""))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertFalse(result.events().get(result.events().size() - 1).done());
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, key.id())).get(0);
        assertEquals("failed", row.get("outcome"));
        assertTrue(((Number) row.get("completion_tokens")).longValue() > 0);
        assertTrue(((Number) row.get("cost_micros")).longValue() > 0);
    }

    @Test
    void theMasterKeyIsRecordedButNeverLimited() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body(false, ""))
                .header("x-request-id", "master-metering-1")
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-sluice-cost-usd", "0.000013");
        boolean found = LedgerRows.forKey(db, "master").stream()
                .anyMatch(r -> "master-metering-1".equals(r.get("request_id")) && ((Number) r.get("amount_micros")).longValue() == 0);
        assertTrue(found);
    }

    @Test
    void aKeySeesOnlyItsOwnUsage() {
        VirtualKeys.Key a = VirtualKeys.withCredit("usage-a", "1");
        VirtualKeys.Key b = VirtualKeys.withCredit("usage-b", "1");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(a.secret()).contentType(ContentType.JSON).body(body(false, ""))
                    .when().post("/v1/chat/completions").then().statusCode(200);
        }
        given().auth().oauth2(b.secret()).contentType(ContentType.JSON).body(body(false, ""))
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().auth().oauth2(a.secret()).when().get("/v1/usage?group_by=model")
                .then().statusCode(200).body("key_id", equalTo(a.id())).body("total_requests", equalTo(3))
                .body("data[0].group", equalTo("billed/m")).body("total_cost_usd", equalTo(0.000039f));
        given().auth().oauth2(b.secret()).when().get("/v1/usage?group_by=day")
                .then().statusCode(200).body("total_requests", equalTo(1));
        given().auth().oauth2(a.secret()).when().get("/v1/usage?group_by=key")
                .then().statusCode(400).body("error.param", equalTo("group_by"));
        String csv = given().auth().oauth2(a.secret()).accept("text/csv").when().get("/v1/usage?group_by=model")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertEquals("group,requests,failed_requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,"
                + "web_pages,cost_usd\r\nbilled/m,3,0,27,6,0,0,0,0.000039\r\n", csv);
    }

    @Test
    void localModelsArePricedAtZeroExplicitly() {
        var r = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"ollama/llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200).extract();
        assertEquals("0.000000", r.header("x-sluice-cost-usd"), "local models are priced at 0 explicitly");
    }

    // ---- what the provider counts: content it reads itself, a cost above the reservation ----------------------

    @Test
    void aVideoGeminiFetchesItselfIsReservedAtItsCeiling() {
        // gemini/gemini-test costs $1 per million input tokens ($1.25 written to a cache): a video of up to
        // 1,048,576 tokens may cost $1.31, more than this key has; counted as an image it would have cost $0.002
        VirtualKeys.Key key = VirtualKeys.withCredit("video", "1");
        Response r = chat(key, "{\"model\":\"gemini/gemini-test\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Summarise this video\"},{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\"}}]}]}");
        r.then().statusCode(429);
        assertEquals("insufficient_quota", r.jsonPath().getString("error.code"));
        assertTrue(MockUpstream.received().stream().noneMatch(x -> x.path().startsWith("/gemini/")),
                "the provider never saw a request the balance could not cover");
    }

    @Test
    void aCostAboveTheReservationIsChargedMarkedAndBlocksTheKeyUntilTopUp() {
        VirtualKeys.Key key = VirtualKeys.withCredit("overrun", "0.01");
        // the provider counts 50,000 prompt tokens for a prompt Sluice estimated at a few dozen
        MockUpstream.on("POST", "/billed/v1/chat/completions",
                MockUpstream.json(200, MockUpstream.completion("ok", 50_000, 10)));
        String body = "{\"model\":\"billed/m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        chat(key, body).then().statusCode(200).header("x-sluice-cost-usd", "0.050020");

        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        assertEquals(50_020L, ((Number) rows.get(0).get("cost_micros")).longValue(), "charged truthfully");
        assertTrue(String.valueOf(rows.get(0).get("note")).startsWith("reservation_exceeded"), rows.get(0).toString());
        assertEquals(10_000L - 50_020L, LedgerRows.balance(db, key.id()));

        // below zero: nothing more is spent until the key is topped up
        Response refused = chat(key, body);
        refused.then().statusCode(429);
        assertEquals("insufficient_quota", refused.jsonPath().getString("error.code"));
        assertEquals(1, MockUpstream.count("/billed/v1/chat/completions"));

        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"amount_usd\":1}")
                .when().post("/admin/keys/" + key.id() + "/credits").then().statusCode(201);
        MockUpstream.on("POST", "/billed/v1/chat/completions",
                MockUpstream.json(200, MockUpstream.completion("ok", 20, 10)));
        chat(key, body).then().statusCode(200);
    }
}
