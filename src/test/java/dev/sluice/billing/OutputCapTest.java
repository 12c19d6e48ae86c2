package dev.sluice.billing;

import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prepaid key's requests cannot cost more than was reserved for them: Sluice sets (or lowers) the output cap on
 * the upstream request to what the reservation covers. The "billed" mock provider costs 1 micro-dollar per prompt
 * token and 2 per output token; the mock below writes as much as it is allowed, as a real provider does: exactly
 * the maximum it received, or, told none, a 10,000-token answer.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class OutputCapTest {

    static final String BILLED = "/billed/v1/chat/completions";
    static final String OPENAI = "/openai/v1/chat/completions";
    static final int UNBOUNDED_ANSWER = 10_000;

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("POST", BILLED, writesAllItMay());
        MockUpstream.on("POST", OPENAI, writesAllItMay());
    }

    /** Answers with as many output tokens as the request allows (10,000 when it sets no maximum). */
    static Handler<RoutingContext> writesAllItMay() {
        return ctx -> {
            JsonObject body = new JsonObject(ctx.body().asString());
            Integer max = body.getInteger("max_completion_tokens", body.getInteger("max_tokens"));
            int output = max == null ? UNBOUNDED_ANSWER : max;
            MockUpstream.json(200, MockUpstream.completion("A long answer", 15, output)).handle(ctx);
        };
    }

    static String body(String model, String extra) {
        return "{\"model\":\"" + model + "\"" + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the weather in Paris today, briefly.\"}]}";
    }

    private static JsonObject upstreamRequest(String path) {
        return MockUpstream.last(path).json();
    }

    @Test
    void anAnswerLongerThanTheOldDefaultReserveCannotOverdrawTheBalance() {
        // $0.01: room for about 4,990 output tokens after the prompt, more than the 4,096 once reserved by default
        VirtualKeys.Key key = VirtualKeys.withCredit("long-answer", "0.01");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body("billed/m", ""))
                .when().post("/v1/chat/completions").then().statusCode(200);
        JsonObject sent = upstreamRequest(BILLED);
        int cap = sent.getInteger("max_tokens");
        assertFalse(sent.containsKey("max_completion_tokens"), "billed is not OpenAI: the field is max_tokens");
        assertTrue(cap > 4096 && cap < 5000, "the upstream was told the largest output the balance covers: " + cap);
        long balance = LedgerRows.balance(db, key.id());
        assertEquals(10_000 - 15 - 2L * cap, balance, "charged exactly what the provider reported");
        assertTrue(balance >= 0, "the balance never goes below zero: " + balance);
    }

    @Test
    void withAmpleCreditARequestWithoutMaximumIsCappedAtTheConfiguredMaximum() {
        VirtualKeys.Key key = VirtualKeys.withCredit("ample", "5");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body("billed/m", ""))
                .when().post("/v1/chat/completions").then().statusCode(200);
        assertEquals(32_768, upstreamRequest(BILLED).getInteger("max_tokens"));
    }

    @Test
    void openAiGetsMaxCompletionTokensAndNeverMoreThanTheModelAccepts() {
        VirtualKeys.Key key = VirtualKeys.withCredit("openai-cap", "5");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body("openai/gpt-4o", ""))
                .when().post("/v1/chat/completions").then().statusCode(200);
        JsonObject sent = upstreamRequest(OPENAI);
        assertEquals(16_384, sent.getInteger("max_completion_tokens"), "gpt-4o writes at most 16,384 tokens");
        assertFalse(sent.containsKey("max_tokens"));
    }

    @Test
    void aClientMaximumAboveTheCapIsLoweredInTheFieldTheClientUsed() {
        VirtualKeys.Key key = VirtualKeys.withCredit("big-max", "5");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body(body("billed/m", ",\"max_completion_tokens\":200000"))
                .when().post("/v1/chat/completions").then().statusCode(200);
        JsonObject sent = upstreamRequest(BILLED);
        assertEquals(32_768, sent.getInteger("max_completion_tokens"));
        assertFalse(sent.containsKey("max_tokens"), "no second field is added");
        // a maximum within the cap reaches the provider untouched
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body("billed/m", ",\"max_tokens\":700"))
                .when().post("/v1/chat/completions").then().statusCode(200);
        assertEquals(700, upstreamRequest(BILLED).getInteger("max_tokens"));
    }

    @Test
    void theCapCoversEveryChoice() {
        // $0.01 for 3 choices: each gets a third of the output the balance covers
        VirtualKeys.Key key = VirtualKeys.withCredit("three-choices", "0.01");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body("billed/m", ",\"n\":3"))
                .when().post("/v1/chat/completions").then().statusCode(200);
        int perChoice = upstreamRequest(BILLED).getInteger("max_tokens");
        assertTrue(perChoice > 1500 && perChoice < 1700, "a third of about 4,990: " + perChoice);
    }

    @Test
    void aBalanceThatCannotCoverThePromptAndTheMinimumOutputIsRefusedBeforeTheProvider() {
        // 500 micro-dollars: the prompt (about 24 tokens) and 256 output tokens at 2 each need about 536
        VirtualKeys.Key poor = VirtualKeys.withCredit("below-minimum", "0.0005");
        given().auth().oauth2(poor.secret()).contentType(ContentType.JSON).body(body("billed/m", ""))
                .when().post("/v1/chat/completions")
                .then().statusCode(429).body("error.code", equalTo("insufficient_quota"))
                .body("error.message", containsString("256 output tokens"));
        assertTrue(MockUpstream.received().isEmpty());
        assertEquals(500, LedgerRows.balance(db, poor.id()));
        // 600 micro-dollars: enough for the minimum, so the request goes with the output those cover
        VirtualKeys.Key enough = VirtualKeys.withCredit("above-minimum", "0.0006");
        given().auth().oauth2(enough.secret()).contentType(ContentType.JSON).body(body("billed/m", ""))
                .when().post("/v1/chat/completions").then().statusCode(200);
        int cap = upstreamRequest(BILLED).getInteger("max_tokens");
        assertTrue(cap >= 256 && cap < 300, "between the minimum and what 600 micro-dollars cover: " + cap);
        assertTrue(LedgerRows.balance(db, enough.id()) >= 0);
    }

    @Test
    void aStreamIsCappedToo() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("stream-cap", "0.01");
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", body("billed/m", ",\"stream\":true"))
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        assertEquals(200, result.status());
        int cap = upstreamRequest(BILLED).getInteger("max_tokens");
        assertTrue(cap > 4096 && cap < 5000, "capped like a whole response: " + cap);
    }

    @Test
    void unlimitedKeysAndTheMasterKeyAreSentUpstreamUnchanged() {
        VirtualKeys.Key unlimited = VirtualKeys.create("{\"name\":\"no-cap\",\"unlimited\":true}");
        given().auth().oauth2(unlimited.secret()).contentType(ContentType.JSON).body(body("billed/m", ""))
                .when().post("/v1/chat/completions").then().statusCode(200);
        JsonObject sent = upstreamRequest(BILLED);
        assertNull(sent.getValue("max_tokens"));
        assertNull(sent.getValue("max_completion_tokens"));
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, unlimited.id())).get(0);
        assertEquals((long) UNBOUNDED_ANSWER, ((Number) row.get("completion_tokens")).longValue(),
                "an unlimited key pays for what it used");
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body("billed/m", ",\"max_tokens\":900000"))
                .when().post("/v1/chat/completions").then().statusCode(200);
        assertEquals(900_000, upstreamRequest(BILLED).getInteger("max_tokens"));
    }

    @Test
    void thePromptIsReservedAtTheCacheWritePriceWhenThatIsDearer() {
        // anthropic/claude-test: $1 input, $1.25 cache write, $2 output per million. With P prompt tokens (the
        // estimate: the text's count plus OpenAI's overhead of 3 per reply and 4 per message) and 100 output
        // tokens, the request costs P + 200 micro-dollars at the input price and 1.25 P + 200 if the provider
        // writes the whole prompt to its cache; the key's credit lies between the two
        String prompt = "word ".repeat(400);
        long promptTokens = 3 + 4 + tokens.count(prompt, "anthropic", "claude-test");
        long credit = promptTokens + 200 + promptTokens / 8;
        VirtualKeys.Key key = VirtualKeys.withCredit("cache-writes", String.format(java.util.Locale.ROOT, "%.6f", credit / 1e6));
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"anthropic/claude-test\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + prompt + "\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(429).body("error.code", equalTo("insufficient_quota"));
        assertTrue(MockUpstream.received().isEmpty(), "priced at the input price alone it would have gone upstream");
    }

    @Inject
    dev.sluice.tokens.TokenCounter tokens;
}
