package dev.sluice.billing;

import dev.sluice.money.Money;
import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every response to an authenticated request is accounted for: it has a ledger line (a body that could not be
 * read included), it reports its cost in {@code x-sluice-cost-usd} unless it is a stream, and, when its key has
 * rpm or tpm limits, it carries OpenAI's rate-limit headers, refusals and streams included. Requests that fail
 * authentication have no key to charge: they are counted in the metrics instead.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class EveryResponseTest {

    static final String BILLED = "/billed/v1/chat/completions";
    static final List<String> RATE_HEADERS = List.of("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
            "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens",
            "x-ratelimit-reset-tokens");

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static VirtualKeys.Key limitedKey(String name) {
        return VirtualKeys.create("{\"name\":\"" + name + "\",\"credit_usd\":1,\"rpm\":50,\"tpm\":500000,"
                + "\"models\":[\"billed/*\",\"slowpoke/*\"]}");
    }

    private static ValidatableResponse post(String secret, String body) {
        return given().auth().oauth2(secret).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions").then();
    }

    private static void hasRateHeaders(ValidatableResponse r) {
        r.header("x-ratelimit-limit-requests", "50").header("x-ratelimit-limit-tokens", "500000");
        for (String h : RATE_HEADERS) {
            r.header(h, notNullValue());
        }
    }

    @Test
    void refusalsAfterAuthenticationCarryTheRateLimitHeadersAndAZeroCost() {
        VirtualKeys.Key key = limitedKey("refused");
        // a model outside the allow-list
        ValidatableResponse notAllowed = post(key.secret(),
                "{\"model\":\"groq/llama-3.1-8b-instant\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(403).body("error.code", equalTo("model_not_allowed")).header("x-sluice-cost-usd", "0.000000");
        hasRateHeaders(notAllowed);
        // an allowed model without a price
        ValidatableResponse notPriced = post(key.secret(),
                "{\"model\":\"slowpoke/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(403).body("error.code", equalTo("model_not_priced")).header("x-sluice-cost-usd", "0.000000");
        hasRateHeaders(notPriced);
        // a body that cannot be read, and one that breaks a rule
        hasRateHeaders(post(key.secret(), "{\"model\": \"billed/m\", \"messages\": ")
                .statusCode(400).body("error.code", equalTo("invalid_json")).header("x-sluice-cost-usd", "0.000000"));
        hasRateHeaders(post(key.secret(), "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"temperature\":7}").statusCode(400).body("error.param", equalTo("temperature")));
        hasRateHeaders(given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body("{\"input\":\"x\"}")
                .when().post("/v1/embeddings").then().statusCode(400));
        // refusals take nothing from the buckets: only the first successful request does
        post(key.secret(), "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(200).header("x-ratelimit-remaining-requests", "49");
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().startsWith("/slowpoke")
                || r.path().startsWith("/groq")));
    }

    @Test
    void aStreamCarriesTheRateLimitHeadersAndReportsItsCostInItsUsageChunk() throws Exception {
        VirtualKeys.Key key = limitedKey("streamed");
        MockUpstream.on("POST", BILLED, MockUpstream.sse(java.time.Duration.ZERO,
                MockUpstream.chunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null),
                MockUpstream.chunk("{}", "stop"), MockUpstream.usageChunk(100, 50), "[DONE]"));
        HttpResponse<InputStream> response = Sse.open(Sse.post("/v1/chat/completions",
                        "{\"model\":\"billed/m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(200, response.statusCode());
        assertEquals("50", response.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
        assertEquals("49", response.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
        for (String h : RATE_HEADERS) {
            assertTrue(response.headers().firstValue(h).isPresent(), h + " on the stream");
        }
        assertFalse(response.headers().firstValue("x-sluice-cost-usd").isPresent(),
                "a stream's headers leave before its cost is known");
        assertTrue(body.contains("\"cost\":0.0002"), "the usage chunk carries the cost: " + body);
        assertTrue(body.endsWith("data: [DONE]\n\n"));
    }

    @Test
    void aResponseWithoutReportedUsageStatesTheEstimatedCost() {
        VirtualKeys.Key key = VirtualKeys.withCredit("silent-provider", "1");
        MockUpstream.on("POST", BILLED, MockUpstream.json(200, "{\"id\":\"x\",\"object\":\"chat.completion\","
                + "\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"An answer without usage\"},\"finish_reason\":\"stop\"}]}"));
        String cost = post(key.secret(), "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(200).extract().header("x-sluice-cost-usd");
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, key.id())).get(0);
        assertEquals(1, ((Number) row.get("estimated")).intValue());
        long micros = ((Number) row.get("cost_micros")).longValue();
        assertTrue(micros > 0);
        assertEquals(Money.usdText(micros), cost, "the header states what the ledger charged");
    }

    @Test
    void aRequestWhoseBodyCannotBeReadIsRecordedWithItsError() {
        VirtualKeys.Key key = VirtualKeys.withCredit("unreadable", "1");
        post(key.secret(), "{\"model\":\"billed/m\",\"messages\":\"not a list\"}").statusCode(400);
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body("[]")
                .when().post("/v1/embeddings").then().statusCode(400);
        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, key.id()));
        assertEquals(2, rows.size(), "both refused requests are in the ledger");
        for (Map<String, Object> row : rows) {
            assertEquals(400, ((Number) row.get("status")).intValue());
            assertEquals("failed", row.get("outcome"));
            assertEquals(0L, ((Number) row.get("cost_micros")).longValue());
        }
        assertEquals("invalid_request", rows.get(0).get("error_code"));
        assertEquals("chat", rows.get(0).get("operation"));
        assertEquals("invalid_json", rows.get(1).get("error_code"));
        assertEquals("embeddings", rows.get(1).get("operation"));
        assertEquals(1_000_000L, LedgerRows.balance(db, key.id()));
        given().auth().oauth2(key.secret()).when().get("/v1/usage").then().statusCode(200)
                .body("total_requests", equalTo(2)).body("data[0].failed_requests", equalTo(2));
    }

    @Test
    void requestsThatFailAuthenticationAreCountedInsteadOfRecorded() {
        double before = authFailures("invalid_api_key");
        double missingBefore = authFailures("missing_api_key");
        given().auth().oauth2("sk-sluice-k00000000000-" + "x".repeat(40)).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/m\",\"messages\":[]}").when().post("/v1/chat/completions")
                .then().statusCode(401).header("x-sluice-cost-usd", (String) null);
        given().contentType(ContentType.JSON).body("{}").when().post("/v1/chat/completions").then().statusCode(401);
        assertEquals(before + 1, authFailures("invalid_api_key"));
        assertEquals(missingBefore + 1, authFailures("missing_api_key"));
    }

    @Test
    void groupCommitsAreMeasured() {
        VirtualKeys.Key key = VirtualKeys.withCredit("measured", "1");
        post(key.secret(), "{\"model\":\"billed/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").statusCode(200);
        String metrics = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(value(metrics, "sluice_ledger_batch_size_count", "") >= 1, "commits are counted");
        assertTrue(value(metrics, "sluice_ledger_batch_size_sum", "") >= value(metrics, "sluice_ledger_batch_size_count", ""),
                "each commit carries at least one write");
        assertTrue(value(metrics, "sluice_ledger_commit_seconds_count", "") >= 2, "each write's wait is timed");
    }

    private static double authFailures(String reason) {
        String metrics = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics").then().statusCode(200).extract().asString();
        return value(metrics, "sluice_auth_failures_total", "reason=\"" + reason + "\"");
    }

    /** A sample's value in the Prometheus text format (0 when absent). */
    private static double value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        while (m.find()) {
            if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
