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

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reservation covers what the provider will count: content the provider fetches itself is reserved at its
 * kind's ceiling, and a request that still costs more than was reserved is charged truthfully, marked in the
 * ledger, and leaves its key unable to spend until it is topped up.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class UnboundedContentTest {

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static Response chat(VirtualKeys.Key key, String body) {
        return given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions");
    }

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
