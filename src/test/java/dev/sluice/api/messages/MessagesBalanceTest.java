package dev.sluice.api.messages;

import dev.sluice.billing.LedgerRows;
import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prepaid key's {@code /v1/messages} requests reserve and settle exactly like chat completions: 50 simultaneous
 * requests on a key whose credit pays for exactly 10 of them. The upstream reports the prompt tokens Sluice estimated
 * (which count_tokens gives for the same request), so each request costs exactly what it reserved: 10 succeed, the
 * others are refused with Anthropic's rate_limit_error, and the balance ends at zero, never below.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class MessagesBalanceTest {

    static final String COMPLETIONS = "/billed/v1/chat/completions";
    static final String BODY = "{\"model\":\"billed/m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"Please summarise the following paragraph about rivers and sluices in two sentences.\"}]}";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void fiftyConcurrentRequestsOnCreditForTenNeverOverdraw() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int port = io.restassured.RestAssured.port;
        HttpResponse<String> counted = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/v1/messages/count_tokens")).header("x-api-key", MockUpstream.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("estimate", counted.headers().firstValue("x-sluice-token-count").orElse(null));
        int prompt = new JsonObject(counted.body()).getInteger("input_tokens");
        long cost = prompt + 2 * 100; // $1 per million input tokens, $2 per million output tokens
        VirtualKeys.Key key = VirtualKeys.withCredit("ten-messages", String.format("%.6f", 10 * cost / 1e6));
        MockUpstream.on("POST", COMPLETIONS, ctx -> MockUpstream.vertx().setTimer(20,
                t -> MockUpstream.json(200, MockUpstream.completion("ok", prompt, 100)).handle(ctx)));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/messages"))
                    .timeout(Duration.ofSeconds(60)).header("x-api-key", key.secret())
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                assertEquals("message", new JsonObject(r.body()).getString("type"), r.body());
                ok++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                JsonObject error = new JsonObject(r.body());
                assertEquals("rate_limit_error", error.getJsonObject("error").getString("type"), r.body());
                assertTrue(error.getJsonObject("error").getString("message").contains("quota"), r.body());
            }
        }
        assertEquals(10, ok, "exactly the 10 requests the credit pays for succeed");
        long balance = LedgerRows.balance(db, key.id());
        assertEquals(0, balance, "the balance is spent to the last micro-dollar, never below");
        List<Map<String, Object>> rows = LedgerRows.forKey(db, key.id());
        assertEquals(balance, LedgerRows.sum(rows, "amount_micros"), "the balance is the sum of the ledger");
        assertEquals(50, LedgerRows.requests(rows).size(), "every request has its ledger line");
        assertEquals(10, MockUpstream.count(COMPLETIONS), "refused requests never reached the provider");
    }
}
