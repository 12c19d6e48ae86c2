package dev.sluice.billing;

import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sluice.testing.VirtualKeys.chat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every upstream attempt is admitted like the first: the key's allow-list and its balance are checked for the
 * deployment actually attempted (retries, group failovers, configured and client fallbacks, context-window
 * fallbacks), and the request is charged at the price of the model that served it.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class AttemptAdmissionTest {

    static final String OLLAMA = "/ollama/v1/chat/completions";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    /** A $0 key with these models asks for Ollama, which is down, with a fallback to OpenAI's gpt-4o. */
    private static Response localModelWithDearFallback(String name, String models) {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"" + name + "\",\"credit_usd\":0,\"models\":" + models
                + "}");
        MockUpstream.on("POST", OLLAMA, MockUpstream.resetMidBody());
        return chat(key, "{\"model\":\"ollama/x\",\"fallbacks\":[\"openai/gpt-4o\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    /** The key's one ledger line: served by this model, charged this much. */
    private Map<String, Object> assertCharged(VirtualKeys.Key key, String servedModel, long costMicros) {
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, key.id())).get(0);
        assertEquals(servedModel, row.get("served_model"));
        assertEquals(costMicros, ((Number) row.get("cost_micros")).longValue());
        return row;
    }

    /** A path of the mock that answers with 1,000 prompt and 100 completion tokens. */
    private static void answersWithUsage(String path) {
        MockUpstream.on("POST", path, MockUpstream.json(200, MockUpstream.completion("Hi", 1000, 100)));
    }

    /** A one-message chat request with the given fields before its messages. */
    private static String ask(String fields) {
        return "{" + fields + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    private static boolean reached(String prefix) {
        return MockUpstream.received().stream().anyMatch(r -> r.path().startsWith(prefix));
    }

    @Test
    void aFallbackTheKeyMayNotUseIsRefusedUpFrontAndNeverReached() {
        // the reproduction: a $0 key restricted to a free local model, which is down
        Response r = localModelWithDearFallback("local-only", "[\"ollama/*\"]");

        r.then().statusCode(403);
        assertEquals("model_not_allowed", r.jsonPath().getString("error.code"));
        assertEquals("fallbacks[0]", r.jsonPath().getString("error.param"));
        assertTrue(r.jsonPath().getString("error.message").contains("openai/gpt-4o"), r.asString());
        assertEquals("0.000000", r.header("x-sluice-cost-usd"));
        assertTrue(!reached("/openai/"), "a model outside the allow-list is never called");
    }

    @Test
    void aFallbackTheBalanceCannotCoverIsNotAttempted() {
        // both models are allowed, but the dearer one is beyond a $0 balance: refused cleanly, never reached
        Response r = localModelWithDearFallback("free-only", "[\"ollama/*\",\"openai/*\"]");

        r.then().statusCode(429);
        assertEquals("insufficient_quota", r.jsonPath().getString("error.code"));
        assertEquals("0.000000", r.header("x-sluice-cost-usd"));
        assertTrue(reached(OLLAMA), "the free model was tried");
        assertTrue(!reached("/openai/"), "the model the balance cannot pay for is never called");
    }

    @Test
    void theFreeModelStillServesAZeroBalanceKeyWithADearerFallback() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"free-ok\",\"credit_usd\":0,"
                + "\"models\":[\"ollama/*\",\"openai/*\"]}");

        chat(key, "{\"model\":\"ollama/x\",\"fallbacks\":[\"openai/gpt-4o\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200).header("x-sluice-provider", "ollama").header("x-sluice-cost-usd", "0.000000");
        assertTrue(!reached("/openai/"));
    }

    @Test
    void aRequestIsChargedAtThePriceOfTheModelThatServedIt() {
        // billed/m costs $1 / $2 per million; openai/gpt-4o $2.50 / $10: the fallback serves, its price applies
        VirtualKeys.Key key = VirtualKeys.withCredit("served-price", "1");
        MockUpstream.on("POST", "/billed/v1/chat/completions", MockUpstream.serverError());
        answersWithUsage("/openai/v1/chat/completions");

        Response r = chat(key, ask("\"model\":\"billed/m\",\"max_tokens\":100,\"fallbacks\":[\"openai/gpt-4o\"]"));

        r.then().statusCode(200).header("x-sluice-provider", "openai");
        // 1000 × $2.50 + 100 × $10 per million
        assertEquals("0.003500", r.header("x-sluice-cost-usd"));
        assertEquals(0.0035f, r.jsonPath().getFloat("usage.cost"));
        assertEquals("openai", assertCharged(key, "gpt-4o", 3500L).get("provider"));
        assertEquals(1_000_000L - 3500L, LedgerRows.balance(db, key.id()));
    }

    @Test
    void aContextWindowFallbackIsChargedAtItsOwnPrice() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"ctx\",\"credit_usd\":1,"
                + "\"models\":[\"small-context\",\"large-context\"]}");
        MockUpstream.on("POST", "/rt/small-context/v1/chat/completions", MockUpstream.json(400,
                "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));
        answersWithUsage("/rt/large-context/v1/chat/completions");

        Response r = chat(key, ask("\"model\":\"small-context\",\"max_tokens\":100"));

        r.then().statusCode(200).header("x-sluice-deployment", "large-context-1");
        // gpt-4.1: 1000 × $2 + 100 × $8 per million (gpt-4o-mini would be $0.000210)
        assertEquals("0.002800", r.header("x-sluice-cost-usd"));
        assertCharged(key, "gpt-4.1", 2800L);
    }

    @Test
    void aContextWindowFallbackTheKeyMayNotUseIsSkippedAndNamed() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"ctx-small\",\"credit_usd\":1,\"models\":[\"small-context\"]}");
        MockUpstream.on("POST", "/rt/small-context/v1/chat/completions", MockUpstream.json(400,
                "{\"error\":{\"message\":\"maximum context length exceeded\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"context_length_exceeded\"}}"));

        Response r = chat(key, "{\"model\":\"small-context\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        r.then().statusCode(503);
        assertEquals("no_deployment_available", r.jsonPath().getString("error.code"));
        assertTrue(r.jsonPath().getString("error.message").contains("large-context-1 (model_not_allowed"), r.asString());
        assertEquals(0, MockUpstream.count("/rt/large-context/v1/chat/completions"));
    }

    @Test
    void aGroupFallbackTheKeyMayNotUseIsSkippedAndNamedInThe503() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"group-only\",\"credit_usd\":1,\"models\":[\"with-fallback\"]}");
        MockUpstream.on("POST", "/rt/doomed/v1/chat/completions", MockUpstream.serverError());

        Response r = chat(key, "{\"model\":\"with-fallback\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        r.then().statusCode(503);
        assertEquals("no_deployment_available", r.jsonPath().getString("error.code"));
        assertTrue(r.jsonPath().getString("error.message").contains("fallback-target-1 (model_not_allowed"),
                r.asString());
        assertEquals(0, MockUpstream.count("/rt/fallback-target/v1/chat/completions"));
    }

    @Test
    void aGroupDeploymentTheKeyMayNotUseIsSkipped() {
        // pair-primary serves openai/gpt-4o, pair-secondary openai/gpt-4o-2024-08-06: only the latter is allowed
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"dated-only\",\"credit_usd\":1,"
                + "\"models\":[\"openai/gpt-4o-2024-*\"]}");

        chat(key, "{\"model\":\"pair\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200).header("x-sluice-deployment", "pair-secondary");
        assertEquals(0, MockUpstream.count("/rt/pair-primary/v1/chat/completions"));
    }

    @Test
    void anEmbeddingsFallbackTheKeyMayNotUseIsRefusedUpFront() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"embed-local\",\"credit_usd\":0,\"models\":[\"ollama/*\"]}");
        MockUpstream.on("POST", "/ollama/v1/embeddings", MockUpstream.resetMidBody());

        Response r = given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"ollama/e\",\"input\":\"hello\",\"fallbacks\":[\"openai/text-embedding-3-small\"]}")
                .when().post("/v1/embeddings");

        r.then().statusCode(403);
        assertEquals("model_not_allowed", r.jsonPath().getString("error.code"));
        assertEquals("fallbacks[0]", r.jsonPath().getString("error.param"));
        assertTrue(!reached("/openai/"));
    }

    @Test
    void anEmbeddingsFallbackIsChargedAtItsOwnPrice() {
        VirtualKeys.Key key = VirtualKeys.withCredit("embed-served", "1");
        MockUpstream.on("POST", "/billed/v1/embeddings", MockUpstream.serverError());
        MockUpstream.on("POST", "/openai/v1/embeddings", MockUpstream.json(200, "{\"object\":\"list\",\"data\":"
                + "[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1]}],\"model\":\"text-embedding-3-large\","
                + "\"usage\":{\"prompt_tokens\":1000,\"total_tokens\":1000}}"));

        Response r = given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/e\",\"input\":\"hello\",\"fallbacks\":[\"openai/text-embedding-3-large\"]}")
                .when().post("/v1/embeddings");

        r.then().statusCode(200).header("x-sluice-provider", "openai");
        // text-embedding-3-large: $0.13 per million (billed/e would be $0.001000)
        assertEquals("0.000130", r.header("x-sluice-cost-usd"));
        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        assertEquals("text-embedding-3-large", rows.get(0).get("served_model"));
    }
}
