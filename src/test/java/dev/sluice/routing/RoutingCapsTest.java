package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.routing.RoutingClient.ENDS;
import static dev.sluice.routing.RoutingClient.await;
import static dev.sluice.routing.RoutingClient.body;
import static dev.sluice.routing.RoutingClient.chat;
import static dev.sluice.routing.RoutingClient.deployment;
import static dev.sluice.routing.RoutingClient.parallel;
import static dev.sluice.routing.RoutingClient.within;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment's caps (max-in-flight, rpm, tpm) hold when requests arrive together: each attempt takes its slot
 * atomically when it starts, so the upstream never sees more than the cap, and the requests that find a
 * deployment full go to the next one (or are told to come back with a 429 when there is none).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RoutingCapsTest {

    static final String BOUNDED_A = "/rt/bounded-a/v1/chat/completions";
    static final String BOUNDED_B = "/rt/bounded-b/v1/chat/completions";
    static final String ALONE = "/rt/bounded-alone/v1/chat/completions";
    static final Duration SETTLES = Duration.ofSeconds(20);

    /** Upstream requests held until the test releases them, and how many were held at once at most. */
    static final class Held {
        final CompletableFuture<Void> release = new CompletableFuture<>();
        final AtomicInteger holding = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        void on(String path) {
            MockUpstream.on("POST", path, ctx -> {
                most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                Context context = Vertx.currentContext();
                release.thenRun(() -> context.runOnContext(v -> {
                    holding.decrementAndGet();
                    MockUpstream.healthy().handle(ctx);
                }));
            });
        }
    }

    private Held held;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reset").then().statusCode(200);
    }

    @AfterEach
    void releaseHeldRequests() {
        if (held != null) {
            held.release.complete(null);
        }
    }

    static Map<String, Integer> servedBy(List<CompletableFuture<HttpResponse<String>>> responses) throws Exception {
        Map<String, Integer> served = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> f : responses) {
            HttpResponse<String> r = f.get(RoutingClient.LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            served.merge(r.headers().firstValue("x-sluice-deployment").orElse("?"), 1, Integer::sum);
        }
        return served;
    }

    @Test
    void maxInFlightHoldsWhenRequestsArriveTogetherAndTheRestGoToTheNextDeployment() throws Exception {
        held = new Held();
        held.on(BOUNDED_A);

        List<CompletableFuture<HttpResponse<String>>> responses = parallel(8, body("bounded"));
        await("the six requests beyond the cap answered by bounded-b", SETTLES,
                () -> MockUpstream.count(BOUNDED_B) == 6);
        assertEquals(2, MockUpstream.count(BOUNDED_A), "max-in-flight: 2 while both are held");
        assertEquals(2, deployment("bounded-a").getInt("in_flight"));
        held.release.complete(null);

        assertEquals(Map.of("bounded-a", 2, "bounded-b", 6), servedBy(responses));
        assertEquals(2, held.most.get(), "the upstream never saw more than two at once");
        await("every slot given back", SETTLES, () -> deployment("bounded-a").getInt("in_flight") == 0);
    }

    @Test
    void withNowhereElseToGoRequestsBeyondMaxInFlightGetA429() throws Exception {
        held = new Held();
        held.on(ALONE);
        List<CompletableFuture<HttpResponse<String>>> first = parallel(1, body("bounded-alone"));
        await("the first request held upstream", SETTLES, () -> MockUpstream.count(ALONE) == 1);

        for (int i = 0; i < 2; i++) {
            Response r = within(ENDS, () -> chat(body("bounded-alone")));
            r.then().statusCode(429);
            assertEquals("rate_limit_exceeded", r.jsonPath().getString("error.code"));
            assertTrue(r.jsonPath().getString("error.message").contains("bounded-alone-1 capped"),
                    r.jsonPath().getString("error.message"));
            assertEquals("0", r.header("x-sluice-attempts"));
        }
        assertEquals(1, MockUpstream.count(ALONE), "the capped deployment was not called again");
        held.release.complete(null);

        assertEquals(Map.of("bounded-alone-1", 1), servedBy(first));
        await("its slot given back", SETTLES, () -> deployment("bounded-alone-1").getInt("in_flight") == 0);
        within(ENDS, () -> chat(body("bounded-alone"))).then().statusCode(200);
    }

    @Test
    void anRpmCapHoldsUnderParallelLoad() throws Exception {
        Map<String, Integer> served = servedBy(parallel(20, body("rpm-burst")));

        assertEquals(Map.of("rpm-burst-a", 3, "rpm-burst-b", 17), served);
        assertEquals(3, MockUpstream.count("/rt/rpm-burst-a/v1/chat/completions"), "rpm: 3, never more");
        assertEquals("capped", deployment("rpm-burst-a").getString("state"));
        assertEquals(3, deployment("rpm-burst-a").getInt("requests_last_minute"));
    }

    @Test
    void aTpmCapCountsTheTokensOfRequestsStillInFlight() throws Exception {
        held = new Held();
        held.on("/rt/tpm-a/v1/chat/completions");
        // the estimate is dominated by the output asked for (600 tokens), whatever tokenizer counts the prompt
        String big = "{\"model\":\"tpm-capped\",\"max_tokens\":600,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        List<CompletableFuture<HttpResponse<String>>> first = parallel(1, big);
        await("the first request held on tpm-a", SETTLES,
                () -> MockUpstream.count("/rt/tpm-a/v1/chat/completions") == 1);
        int inFlightTokens = deployment("tpm-a").getInt("tokens_last_minute");
        assertTrue(inFlightTokens >= 600 && inFlightTokens < 1000,
                "the request in flight counts its estimate against tpm: " + inFlightTokens);

        Response second = within(ENDS, () -> chat(big));
        second.then().statusCode(200);
        assertEquals("tpm-b", second.header("x-sluice-deployment"),
                "twice the estimate would pass tpm: 1000 while the first is in flight");

        held.release.complete(null);
        assertEquals(Map.of("tpm-a", 1), servedBy(first));
        await("the estimate replaced by the usage the upstream reported (11 tokens)", SETTLES,
                () -> deployment("tpm-a").getInt("tokens_last_minute") == 11);

        Response third = within(ENDS, () -> chat(big));
        assertEquals("tpm-a", third.header("x-sluice-deployment"), "room again once the estimate was corrected");
        JsonObject sent = MockUpstream.last("/rt/tpm-a/v1/chat/completions").json();
        assertEquals(600, sent.getInteger("max_tokens"));
    }
}
