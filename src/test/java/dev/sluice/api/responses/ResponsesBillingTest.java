package dev.sluice.api.responses;

import dev.sluice.billing.LedgerRows;
import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prepaid key on {@code /v1/responses} is billed exactly as on chat completions: reserved before the provider,
 * settled from the reported usage, one ledger line, the cost in {@code usage.cost} and {@code x-sluice-cost-usd},
 * refused with 429 when the balance cannot cover the request. The "billed" mock costs $1 per million input tokens
 * and $2 per million output tokens.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ResponsesBillingTest {

    static final String COMPLETIONS = "/billed/v1/chat/completions";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void aResponseIsReservedSettledAndLedgered() {
        VirtualKeys.Key key = VirtualKeys.withCredit("responses-prepaid", "1");
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200, MockUpstream.completion("Sunny", 1000, 500)));
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/m\",\"input\":\"Weather in Paris?\",\"max_output_tokens\":600}")
                .when().post("/v1/responses")
                .then().statusCode(200)
                .header("x-sluice-cost-usd", "0.002000")
                .body("usage.cost", equalTo(0.002f))
                .body("usage.input_tokens", equalTo(1000))
                .body("usage.output_tokens", equalTo(500))
                .body("output[0].content[0].text", equalTo("Sunny"));
        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        assertEquals(1, rows.size());
        assertEquals(2000L, ((Number) rows.get(0).get("cost_micros")).longValue());
        assertEquals(-2000L, ((Number) rows.get(0).get("amount_micros")).longValue());
        assertEquals("billed", rows.get(0).get("provider"));
        assertEquals(1_000_000L - 2000L, LedgerRows.balance(db, key.id()));
        given().auth().oauth2(key.secret()).when().get("/v1/balance")
                .then().statusCode(200).body("balance_usd", equalTo(0.998f)).body("reserved_usd", equalTo(0f));
    }

    @Test
    void aStreamedResponseCarriesItsCostInTheCompletedEvent() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("responses-prepaid-stream", "1");
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                MockUpstream.chunk("{\"content\":\"Sun\"}", null), MockUpstream.chunk("{\"content\":\"ny\"}", "stop"), MockUpstream.usageChunk(100, 50),
                "[DONE]"));
        String body = given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/m\",\"input\":\"Weather?\",\"stream\":true,\"max_output_tokens\":100}")
                .when().post("/v1/responses")
                .then().statusCode(200).extract().asString();
        List<ResponsesApiTest.Event> events = ResponsesApiTest.events(body);
        ResponsesApiTest.Event last = events.get(events.size() - 1);
        assertEquals("response.completed", last.type());
        assertEquals(0.0002, last.data().path("response").path("usage").path("cost").asDouble(), 1e-9);
        assertEquals(1_000_000L - 200L, LedgerRows.balance(db, key.id()));
    }

    @Test
    void aBalanceThatCannotCoverTheRequestIsRefusedBeforeTheProvider() {
        VirtualKeys.Key key = VirtualKeys.withCredit("responses-poor", "0.0001");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/m\",\"input\":\"Weather?\",\"max_output_tokens\":1000}")
                .when().post("/v1/responses")
                .then().statusCode(429).body("error.code", equalTo("insufficient_quota"));
        assertTrue(MockUpstream.received().isEmpty());
    }

    @Test
    void aKeyNotAllowedTheModelIsRefused() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"responses-limited\",\"credit_usd\":1,"
                + "\"models\":[\"openai/gpt-4o\"]}");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/m\",\"input\":\"Weather?\"}")
                .when().post("/v1/responses")
                .then().statusCode(403).body("error.message", containsString("billed/m"));
        assertTrue(MockUpstream.received().isEmpty());
    }
}
