package dev.sluice.billing;

import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
 * The embedded store under concurrency: 200 simultaneous requests on a key whose credit pays for 10. Each request
 * costs 230 micro-dollars (30 prompt tokens at $1/M, 100 completion tokens at $2/M) and reserves a little more.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class BalanceConcurrencyTest {

    static final String COMPLETIONS = "/billed/v1/chat/completions";
    static final long COST = 30 + 2 * 100;

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void twoHundredConcurrentRequestsOnCreditForTenNeverOverdraw() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("ten-requests", "0.002300");
        MockUpstream.on("POST", COMPLETIONS, ctx -> MockUpstream.vertx().setTimer(20,
                t -> MockUpstream.json(200, MockUpstream.completion("ok", 30, 100)).handle(ctx)));
        String body = "{\"model\":\"billed/m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Please summarise the following paragraph about rivers and sluices in two sentences.\"}]}";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int port = io.restassured.RestAssured.port;
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key.secret())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int quota = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertTrue(r.body().contains("insufficient_quota"), r.body());
                quota++;
            }
        }
        assertEquals(200, ok + quota);
        assertTrue(ok >= 1 && ok <= 10, "at most 10 of 200 requests may succeed, " + ok + " did");
        long balance = LedgerRows.balance(db, key.id());
        assertTrue(balance >= 0, "the balance never goes negative: " + balance);
        assertEquals(2300 - ok * COST, balance);
        List<Map<String, Object>> rows = LedgerRows.forKey(db, key.id());
        assertEquals(balance, LedgerRows.sum(rows, "amount_micros"), "the balance is the sum of the ledger");
        assertEquals(200, LedgerRows.requests(rows).size(), "every request has its ledger line");
        assertEquals(ok, MockUpstream.received().size(), "refused requests never reached the provider");
    }
}
