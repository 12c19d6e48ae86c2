package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.routing.RoutingClient.ENDS;
import static dev.sluice.routing.RoutingClient.within;
import static dev.sluice.testing.MockUpstream.chunk;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing against fault-injecting deployments (src/test/resources/routing/models.yaml): failover, retry limits,
 * Retry-After, timeouts and deadlines, streams before and after their first byte, refused credentials, circuit
 * breakers, fallbacks, caps, strategies, and the headers that say what happened. Every exchange with a faulty
 * upstream is bounded ({@link RoutingClient#within}): a regression that hangs fails the test.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RoutingTest {

    static final String PRIMARY = "/rt/pair-primary/v1/chat/completions";
    static final String SECONDARY = "/rt/pair-secondary/v1/chat/completions";
    static final String SOLO = "/rt/solo/v1/chat/completions";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reset").then().statusCode(200);
    }

    static String body(String model) {
        return RoutingClient.body(model);
    }

    static String streamBody(String model) {
        return RoutingClient.streamBody(model);
    }

    static Response chat(String body) {
        return RoutingClient.chat(body);
    }

    static JsonPath deployment(String id) {
        return RoutingClient.deployment(id);
    }

    // ---- failover and retries ---------------------------------------------------------------------------------

    @Test
    void a500FailsOverToTheNextDeploymentAndTheHeadersSaySo() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.serverError());

        Response r = within(ENDS, () -> chat(body("pair")));

        r.then().statusCode(200);
        assertEquals("pair-secondary", r.header("x-sluice-deployment"));
        assertEquals("2", r.header("x-sluice-attempts"));
        assertEquals("openai", r.header("x-sluice-provider"));
        assertEquals(1, MockUpstream.count(PRIMARY));
        assertEquals("gpt-4o-2024-08-06", MockUpstream.last(SECONDARY).json().getString("model"),
                "the secondary deployment receives its own upstream model name");
        assertEquals("Bearer sk-pair-secondary-key-000222", MockUpstream.last(SECONDARY).headers().get("authorization"),
                "and its own key");
    }

    @Test
    void a429WithRetryAfterFailsOverAndRestsTheDeployment() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.rateLimited("1"));

        Response first = within(ENDS, () -> chat(body("pair")));
        first.then().statusCode(200);
        assertEquals("pair-secondary", first.header("x-sluice-deployment"));
        assertEquals("cooling-down", deployment("pair-primary").getString("state"));

        Response second = within(ENDS, () -> chat(body("pair")));
        second.then().statusCode(200);
        assertEquals("1", second.header("x-sluice-attempts"), "a resting deployment is not tried");
        assertEquals(1, MockUpstream.count(PRIMARY));
    }

    @Test
    void aSingleDeploymentIsRetriedOnceItsRetryAfterHasPassed() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        MockUpstream.on("POST", SOLO, ctx -> {
            arrivals.add(System.nanoTime());
            (arrivals.size() == 1 ? MockUpstream.rateLimited("1") : MockUpstream.healthy()).handle(ctx);
        });

        Response r = within(ENDS, () -> chat(body("solo")));

        r.then().statusCode(200);
        assertEquals("2", r.header("x-sluice-attempts"));
        assertEquals(2, arrivals.size());
        assertTrue(arrivals.get(1) - arrivals.get(0) >= Duration.ofMillis(950).toNanos(),
                "the retry waited for the Retry-After");
    }

    @Test
    void retriesStopAtTheGroupsLimitAndTheErrorCarriesTheRoutingHeaders() {
        MockUpstream.on("POST", SOLO, MockUpstream.serverError());

        Response r = within(ENDS, () -> chat(body("solo")));

        r.then().statusCode(502);
        assertEquals("upstream_error", r.jsonPath().getString("error.code"));
        assertEquals("3", r.header("x-sluice-attempts"), "one attempt plus the group's two retries");
        assertEquals("solo-1", r.header("x-sluice-deployment"));
        assertEquals("openai", r.header("x-sluice-provider"));
        assertEquals(3, MockUpstream.count(SOLO));
    }

    @Test
    void aClientErrorIsNotRetried() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.json(400, "{\"error\":{\"message\":\"Invalid value for "
                + "'logit_bias'.\",\"type\":\"invalid_request_error\",\"param\":\"logit_bias\",\"code\":\"invalid_value\"}}"));

        Response r = within(ENDS, () -> chat(body("pair")));

        r.then().statusCode(400);
        assertEquals("invalid_value", r.jsonPath().getString("error.code"));
        assertEquals("1", r.header("x-sluice-attempts"));
        assertEquals(0, MockUpstream.count(SECONDARY));
    }

    @Test
    void aConnectionResetMidBodyFailsOver() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.resetMidBody());

        Response r = within(ENDS, () -> chat(body("pair")));

        r.then().statusCode(200);
        assertEquals("pair-secondary", r.header("x-sluice-deployment"));
        assertEquals("Hello there", r.jsonPath().getString("choices[0].message.content"));
    }

    @Test
    void plainModelNamesAreRetriedOnce() {
        AtomicInteger calls = new AtomicInteger();
        MockUpstream.on("POST", "/openai/v1/chat/completions", ctx ->
                (calls.incrementAndGet() == 1 ? MockUpstream.serverError() : MockUpstream.healthy()).handle(ctx));

        Response r = within(ENDS, () -> chat(body("openai/gpt-4o")));

        r.then().statusCode(200);
        assertEquals("2", r.header("x-sluice-attempts"));
        assertEquals("openai", r.header("x-sluice-deployment"));
    }

    @Test
    void aRetryAfterLongerThanMaxRetryAfterEndsInA429ThatCarriesIt() {
        MockUpstream.on("POST", SOLO, MockUpstream.rateLimited("30"));

        Response r = within(ENDS, () -> chat(body("solo")));

        r.then().statusCode(429);
        assertEquals("30", r.header("Retry-After"), "the provider's Retry-After reaches the client");
        assertEquals("rate_limit_exceeded", r.jsonPath().getString("error.code"));
        assertEquals("1", r.header("x-sluice-attempts"), "30s is above max-retry-after (2s): not waited for");
        assertEquals(1, MockUpstream.count(SOLO));

        Response next = within(ENDS, () -> chat(body("solo")));
        next.then().statusCode(429);
        assertEquals("0", next.header("x-sluice-attempts"), "the deployment rests: not called again");
        long retryAfter = Long.parseLong(next.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "told when it is back: " + retryAfter);
        assertTrue(next.jsonPath().getString("error.message").contains("solo-1 cooling-down"),
                next.jsonPath().getString("error.message"));
        assertEquals(1, MockUpstream.count(SOLO));
    }

    @Test
    void maxAttemptsIsABudgetForTheWholeRequestFallbacksIncluded() {
        MockUpstream.on("POST", "/rt/budgeted/v1/chat/completions", MockUpstream.serverError());
        MockUpstream.on("POST", "/rt/budget-fallback/v1/chat/completions", MockUpstream.serverError());

        Response r = within(ENDS, () -> chat(body("budgeted")));

        r.then().statusCode(502);
        assertEquals("4", r.header("x-sluice-attempts"), "max-attempts: 4");
        assertEquals(3, MockUpstream.count("/rt/budgeted/v1/chat/completions"), "one attempt and two retries");
        assertEquals(1, MockUpstream.count("/rt/budget-fallback/v1/chat/completions"),
                "the fallback gets what is left of the budget, not its own three attempts");
        assertEquals("budget-fallback-1", r.header("x-sluice-deployment"));
    }

    @Test
    void theProviderHeaderNamesTheProviderOfTheDeploymentThatAnswered() {
        Response first = within(ENDS, () -> chat(body("mixed")));
        first.then().statusCode(200);
        assertEquals("openai", first.header("x-sluice-provider"));
        assertEquals("mixed-openai", first.header("x-sluice-deployment"));

        MockUpstream.on("POST", "/rt/mixed-openai/v1/chat/completions", MockUpstream.serverError());
        Response failedOver = within(ENDS, () -> chat(body("mixed")));

        failedOver.then().statusCode(200);
        assertEquals("groq", failedOver.header("x-sluice-provider"));
        assertEquals("mixed-groq", failedOver.header("x-sluice-deployment"));
        assertEquals("2", failedOver.header("x-sluice-attempts"));
        MockUpstream.Received sent = MockUpstream.last("/rt/mixed-groq/v1/chat/completions");
        assertEquals("Bearer " + MockUpstream.GROQ_KEY, sent.headers().get("authorization"),
                "the groq deployment inherits the groq provider's key");
        assertEquals("llama-3.3-70b-versatile", sent.json().getString("model"));
    }

    @Test
    void embeddingsFailOverToo() {
        MockUpstream.on("POST", "/rt/pair-primary/v1/embeddings", MockUpstream.serverError());

        Response r = within(ENDS, () -> given().config(RoutingClient.bounded()).auth().oauth2(MockUpstream.MASTER_KEY)
                .contentType(ContentType.JSON).body("{\"model\":\"pair\",\"input\":\"hello\"}").post("/v1/embeddings"));

        r.then().statusCode(200);
        assertEquals("pair-secondary", r.header("x-sluice-deployment"));
        assertEquals(3, r.jsonPath().getList("data[0].embedding").size());
    }

    // ---- timeouts and deadlines -------------------------------------------------------------------------------

    @Test
    void aHangingDeploymentTimesOutAndTheRequestFailsOver() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.hang());

        Response r = within(ENDS, () -> chat(body("pair")));

        r.then().statusCode(200);
        assertEquals("pair-secondary", r.header("x-sluice-deployment"));
        assertEquals("TIMEOUT", deployment("pair-primary").getString("recent_errors[0].kind"));
    }

    @Test
    void everyRequestEndsWithinItsDeadlineEvenWhenNothingAnswers() {
        MockUpstream.on("POST", "/rt/hang-1/v1/chat/completions", MockUpstream.hang());
        MockUpstream.on("POST", "/rt/hang-2/v1/chat/completions", MockUpstream.hang());

        long start = System.nanoTime();
        Response r = within(ENDS, () -> chat(body("hanging")));
        long elapsed = System.nanoTime() - start;

        r.then().statusCode(504);
        assertEquals("upstream_timeout", r.jsonPath().getString("error.code"));
        // without the 3s deadline, six attempts of 2s each: 12s at least; the margin is for a loaded machine
        assertTrue(elapsed < Duration.ofSeconds(9).toNanos(), "ended by the 3s request deadline: " + elapsed);
        assertTrue(Integer.parseInt(r.header("x-sluice-attempts")) >= 2, "both deployments were tried");
    }

    @Test
    void theRequestDeadlineCutsAnAttemptShorterThanItsOwnTimeout() {
        MockUpstream.on("POST", "/rt/short-deadline/v1/chat/completions", MockUpstream.hang());

        long start = System.nanoTime();
        Response r = within(ENDS, () -> chat(body("short-deadline")));
        long elapsed = System.nanoTime() - start;

        r.then().statusCode(504);
        assertTrue(elapsed < Duration.ofSeconds(10).toNanos(), "the 1.5s deadline held, not the 30s timeout: " + elapsed);
    }

    @Test
    void aTimedOutAttemptIsRetriedAndTheRetryCanSucceed() {
        AtomicInteger calls = new AtomicInteger();
        MockUpstream.on("POST", SOLO, ctx ->
                (calls.incrementAndGet() == 1 ? MockUpstream.hang() : MockUpstream.healthy()).handle(ctx));

        Response r = within(ENDS, () -> chat(body("solo")));

        r.then().statusCode(200);
        assertEquals("2", r.header("x-sluice-attempts"), "the only deployment is tried again after its 2s timeout");
        assertEquals("solo-1", r.header("x-sluice-deployment"));
        assertEquals("Hello there", r.jsonPath().getString("choices[0].message.content"));
        assertEquals("TIMEOUT", deployment("solo-1").getString("recent_errors[0].kind"));
    }

    @Test
    void aPlainModelNameIsRetriedAfterATimeoutToo() {
        AtomicInteger calls = new AtomicInteger();
        // slowpoke is a configured provider with a 1s timeout, whose mock answers late unless told otherwise
        MockUpstream.on("POST", "/slowpoke/v1/chat/completions", ctx -> (calls.incrementAndGet() == 1
                ? MockUpstream.hang() : MockUpstream.json(200, MockUpstream.completion("on time"))).handle(ctx));

        Response r = within(ENDS, () -> chat(body("slowpoke/gpt-4o")));

        r.then().statusCode(200);
        assertEquals("2", r.header("x-sluice-attempts"), "direct-retries: 1, after the provider's 1s timeout");
        assertEquals("on time", r.jsonPath().getString("choices[0].message.content"));
        assertEquals(2, calls.get());
    }

    @Test
    void aDeploymentThatTimedOutIsNotRetriedWhenTooLittleOfTheDeadlineIsLeft() {
        MockUpstream.on("POST", "/rt/no-time-to-retry/v1/chat/completions", MockUpstream.hang());

        Response r = within(ENDS, () -> chat(body("no-time-to-retry")));

        r.then().statusCode(504);
        assertEquals("1", r.header("x-sluice-attempts"),
                "0.5s left of the 3s deadline is less than half of the 2.5s timeout: no attempt that could not finish");
        assertEquals(1, MockUpstream.count("/rt/no-time-to-retry/v1/chat/completions"));
    }

    @Test
    void aConnectTimeoutFailsOverLongBeforeTheTotalTimeout() {
        long start = System.nanoTime();
        Response r = within(ENDS, () -> chat(body("unreachable")));
        long elapsed = System.nanoTime() - start;

        r.then().statusCode(200);
        assertEquals("unreachable-2", r.header("x-sluice-deployment"));
        assertEquals("2", r.header("x-sluice-attempts"));
        assertTrue(elapsed < Duration.ofSeconds(10).toNanos(),
                "the 500ms connect timeout ended the first attempt, not its 20s total timeout: " + elapsed);
        JsonPath first = deployment("unreachable-1");
        assertEquals("CONNECTION", first.getString("recent_errors[0].kind"));
        assertTrue(first.getString("recent_errors[0].message").contains("connection timed out"), first.prettify());
    }

    @Test
    void aClientThatHangsUpCancelsTheAttemptInFlight() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            java.util.concurrent.CompletableFuture<Long> upstreamClosed = new java.util.concurrent.CompletableFuture<>();
            MockUpstream.on("POST", "/rt/patient/v1/chat/completions", ctx -> {
                ctx.request().connection().closeHandler(v -> upstreamClosed.complete(System.nanoTime()));
                if (stream) {
                    ctx.response().setChunked(true).putHeader("content-type", "text/event-stream").write(": waiting\n\n");
                }
            });
            String json = stream ? streamBody("patient") : body("patient");
            long hungUp;
            try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
                socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + MockUpstream.MASTER_KEY + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + json.length() + "\r\n\r\n" + json).getBytes());
                socket.getOutputStream().flush();
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (MockUpstream.count("/rt/patient/v1/chat/completions") == 0 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                hungUp = System.nanoTime();
            }
            long closedAt = upstreamClosed.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(closedAt - hungUp < Duration.ofSeconds(5).toNanos(),
                    "the upstream request was reset when the client left, long before its 30s timeouts (stream=" + stream + ")");
            MockUpstream.reset();
        }
        assertEquals(0, deployment("patient-1").getInt("in_flight"));
    }

    // ---- streams ----------------------------------------------------------------------------------------------

    @Test
    void aStreamThatFailsBeforeItsFirstChunkFailsOverInvisibly() throws Exception {
        MockUpstream.on("POST", PRIMARY, MockUpstream.truncatedStream());

        var response = within(ENDS, () -> Sse.open(Sse.post("/v1/chat/completions", streamBody("pair")).build()));
        assertEquals(200, response.statusCode());
        assertEquals("pair-secondary", response.headers().firstValue("x-sluice-deployment").orElse(null));
        assertEquals("2", response.headers().firstValue("x-sluice-attempts").orElse(null));
        String text = within(ENDS, () -> new String(response.body().readAllBytes()));
        assertTrue(text.contains("\"Hello\""), text);
        assertTrue(text.endsWith("data: [DONE]\n\n"), text);
    }

    @Test
    void aStreamWhoseFirstByteIsTooSlowFailsOver() throws Exception {
        MockUpstream.on("POST", PRIMARY, MockUpstream.slowFirstByte(Duration.ofSeconds(3)));

        Sse.Result result = within(ENDS, () -> Sse.send(Sse.post("/v1/chat/completions", streamBody("pair")).build()));

        assertEquals(200, result.status());
        assertEquals(4, result.chunks().size());
        assertTrue(result.events().get(result.events().size() - 1).done());
        assertEquals(1, MockUpstream.count(SECONDARY));
    }

    @Test
    void aStreamThatBreaksAfterItsFirstChunkEndsWithAnErrorEventAndDoesNotFailOver() throws Exception {
        MockUpstream.on("POST", PRIMARY, MockUpstream.truncatedStream(
                chunk("{\"role\":\"assistant\",\"content\":\"partial\"}", null)));

        Sse.Result result = within(ENDS, () -> Sse.send(Sse.post("/v1/chat/completions", streamBody("pair")).build()));

        assertEquals(200, result.status());
        assertEquals(2, result.events().size(), result.rawBody());
        assertEquals("partial", result.events().get(0).json().getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("content"));
        assertEquals("upstream_unavailable", result.events().get(1).json().getJsonObject("error").getString("code"));
        assertFalse(result.events().stream().anyMatch(Sse.Event::done));
        assertEquals(0, MockUpstream.count(SECONDARY), "bytes reached the client: no second deployment");
    }

    @Test
    void aStreamThatGoesSilentIsCutAtItsDeploymentsIdleTimeout() throws Exception {
        MockUpstream.on("POST", PRIMARY, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"thinking\"}", null) + "\n\n");
        });

        Sse.Result result = within(ENDS, () -> Sse.send(Sse.post("/v1/chat/completions", streamBody("pair")).build()));

        assertEquals(2, result.events().size(), result.rawBody());
        JsonObject error = result.events().get(1).json().getJsonObject("error");
        assertEquals("upstream_timeout", error.getString("code"));
        assertTrue(error.getString("message").contains("sent nothing for 1s"),
                "the group's 1s idle timeout applied, not the gateway's 2s: " + error.getString("message"));
    }

    // ---- credentials and breakers -----------------------------------------------------------------------------

    @Test
    void aRefusedKeyTakesTheDeploymentOutOfRotationUntilItIsReset() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.unauthorized());

        Response first = within(ENDS, () -> chat(body("pair")));
        first.then().statusCode(200);
        assertEquals("pair-secondary", first.header("x-sluice-deployment"));
        JsonPath primary = deployment("pair-primary");
        assertEquals("disabled", primary.getString("state"));
        assertTrue(primary.getString("disabled_reason").contains("401"), primary.prettify());

        Response second = within(ENDS, () -> chat(body("pair")));
        assertEquals("1", second.header("x-sluice-attempts"));
        assertEquals(1, MockUpstream.count(PRIMARY), "not retried, not tried again");

        MockUpstream.on("POST", PRIMARY, MockUpstream.healthy());
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/deployments/pair-primary/reset")
                .then().statusCode(200);
        assertEquals("pair-primary", within(ENDS, () -> chat(body("pair"))).header("x-sluice-deployment"));
    }

    @Test
    void aForbiddenKeyTakesTheDeploymentOutOfRotationToo() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.json(403, "{\"error\":{\"message\":\"Project does not have "
                + "access to model gpt-4o\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}"));

        Response first = within(ENDS, () -> chat(body("pair")));

        first.then().statusCode(200);
        assertEquals("pair-secondary", first.header("x-sluice-deployment"));
        assertEquals("2", first.header("x-sluice-attempts"));
        JsonPath primary = deployment("pair-primary");
        assertEquals("disabled", primary.getString("state"));
        assertTrue(primary.getString("disabled_reason").contains("403"), primary.prettify());
        assertEquals("AUTHENTICATION", primary.getString("recent_errors[0].kind"));

        Response second = within(ENDS, () -> chat(body("pair")));
        assertEquals("1", second.header("x-sluice-attempts"));
        assertEquals(1, MockUpstream.count(PRIMARY), "out of rotation: not tried again");
    }

    @Test
    void theCircuitOpensAfterFailuresAndClosesAfterASuccessfulProbe() throws Exception {
        String flappy = "/rt/breaker-flappy/v1/chat/completions";
        MockUpstream.on("POST", flappy, MockUpstream.serverError());

        for (int i = 0; i < 2; i++) {
            Response r = within(ENDS, () -> chat(body("breaker")));
            r.then().statusCode(200);
            assertEquals("breaker-steady", r.header("x-sluice-deployment"));
        }
        assertEquals("open", deployment("breaker-flappy").getString("state"));

        Response whileOpen = within(ENDS, () -> chat(body("breaker")));
        assertEquals("1", whileOpen.header("x-sluice-attempts"), "an open circuit is not tried");
        assertEquals(2, MockUpstream.count(flappy));

        MockUpstream.on("POST", flappy, MockUpstream.healthy());
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!"half-open".equals(deployment("breaker-flappy").getString("state")) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertEquals("half-open", deployment("breaker-flappy").getString("state"));
        Response probe = within(ENDS, () -> chat(body("breaker")));
        assertEquals("breaker-flappy", probe.header("x-sluice-deployment"), "the probe goes to the recovering deployment");
        assertEquals("healthy", deployment("breaker-flappy").getString("state"));
        assertEquals("closed", deployment("breaker-flappy").getString("breaker"));
    }

    @Test
    void aFailedProbeOpensTheCircuitAgain() throws Exception {
        String flappy = "/rt/breaker-flappy/v1/chat/completions";
        MockUpstream.on("POST", flappy, MockUpstream.serverError());
        for (int i = 0; i < 2; i++) {
            within(ENDS, () -> chat(body("breaker"))).then().statusCode(200);
        }
        assertEquals("open", deployment("breaker-flappy").getString("state"));
        RoutingClient.await("the breaker lets a probe through", Duration.ofSeconds(10),
                () -> "half-open".equals(deployment("breaker-flappy").getString("state")));

        Response probe = within(ENDS, () -> chat(body("breaker")));

        probe.then().statusCode(200);
        assertEquals("breaker-steady", probe.header("x-sluice-deployment"), "the failed probe failed over");
        assertEquals("2", probe.header("x-sluice-attempts"));
        assertEquals(3, MockUpstream.count(flappy), "exactly one probe");
        JsonPath flappyState = deployment("breaker-flappy");
        assertEquals("open", flappyState.getString("state"), "the probe failed: open again, for another open-for");
        assertEquals("open", flappyState.getString("breaker"));

        Response afterwards = within(ENDS, () -> chat(body("breaker")));
        assertEquals("1", afterwards.header("x-sluice-attempts"), "no traffic while open again");
        assertEquals(3, MockUpstream.count(flappy));
    }

    // ---- fallbacks --------------------------------------------------------------------------------------------

    @Test
    void anExhaustedGroupFallsBackToItsConfiguredFallback() {
        MockUpstream.on("POST", "/rt/doomed/v1/chat/completions", MockUpstream.serverError());

        Response r = within(ENDS, () -> chat(body("with-fallback")));

        r.then().statusCode(200);
        assertEquals("fallback-target-1", r.header("x-sluice-deployment"));
        assertEquals("4", r.header("x-sluice-attempts"), "three on the group, one on the fallback");
        assertEquals("gpt-4o-mini", MockUpstream.last("/rt/fallback-target/v1/chat/completions").json()
                .getString("model"));
        String metrics = RoutingClient.metrics();
        assertTrue(metrics.matches("(?s).*sluice_routing_fallbacks_total\\{from=\"with-fallback\",reason=\"exhausted\","
                + "to=\"fallback-target\"} [1-9][0-9.]*.*"), "the fallback is counted in sluice_routing_fallbacks_total");
    }

    @Test
    void clientFallbacksAreHonouredAndNeverSentUpstream() {
        MockUpstream.on("POST", SOLO, MockUpstream.serverError());

        Response r = within(ENDS, () -> chat("{\"model\":\"solo\",\"fallbacks\":[\"fallback-alias\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));

        r.then().statusCode(200);
        assertEquals("fallback-target-1", r.header("x-sluice-deployment"));
        assertNull(MockUpstream.last(SOLO).json().getValue("fallbacks"));
        JsonObject sent = MockUpstream.last("/rt/fallback-target/v1/chat/completions").json();
        assertNull(sent.getValue("fallbacks"));
        assertEquals("Hi", sent.getJsonArray("messages").getJsonObject(0).getString("content"));
    }

    @Test
    void badClientFallbacksAre400sNamingTheField() {
        chat("{\"model\":\"solo\",\"fallbacks\":\"pair\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo("fallbacks"));
        chat("{\"model\":\"solo\",\"fallbacks\":[\"pair\", 7],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo("fallbacks[1]"));
        chat("{\"model\":\"solo\",\"fallbacks\":[\"no-such-model-anywhere\"],\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}")
                .then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo("fallbacks[0]"))
                .body("error.message", org.hamcrest.Matchers.containsString("no-such-model-anywhere"));
        assertTrue(MockUpstream.received().isEmpty());
    }

    @Test
    void aContextWindowErrorFallsBackToTheLargerGroup() {
        MockUpstream.on("POST", "/rt/small-context/v1/chat/completions", MockUpstream.json(400,
                "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));

        Response r = within(ENDS, () -> chat(body("small-context")));

        r.then().statusCode(200);
        assertEquals("large-context-1", r.header("x-sluice-deployment"));
        assertEquals("gpt-4.1", MockUpstream.last("/rt/large-context/v1/chat/completions").json().getString("model"));
    }

    @Test
    void aContextWindowErrorWithoutAFallbackIsReturned() {
        MockUpstream.on("POST", "/rt/large-context/v1/chat/completions", MockUpstream.json(400,
                "{\"error\":{\"message\":\"maximum context length exceeded\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"context_length_exceeded\"}}"));

        Response r = within(ENDS, () -> chat(body("large-context")));

        r.then().statusCode(400);
        assertEquals("context_length_exceeded", r.jsonPath().getString("error.code"));
        assertEquals("1", r.header("x-sluice-attempts"));
    }

    // ---- caps, strategies, configuration ----------------------------------------------------------------------

    @Test
    void aDeploymentsRpmCapSendsTheRestToTheNextTier() {
        for (int i = 0; i < 3; i++) {
            chat(body("capped")).then().statusCode(200);
        }
        assertEquals(2, MockUpstream.count("/rt/capped-a/v1/chat/completions"));
        assertEquals(1, MockUpstream.count("/rt/capped-b/v1/chat/completions"));
        assertEquals("capped", deployment("capped-a").getString("state"));
    }

    @Test
    void lowestLatencyPrefersTheFasterDeployment() {
        // warm the request path up first, so that the fast deployment's first measurement is not a cold one
        for (int i = 0; i < 3; i++) {
            chat(body("solo")).then().statusCode(200);
        }
        MockUpstream.on("POST", "/rt/latency-slow/v1/chat/completions", MockUpstream.slowFirstByte(Duration.ofSeconds(1)));
        for (int i = 0; i < 22; i++) {
            within(ENDS, () -> chat(body("latency"))).then().statusCode(200);
        }
        long slow = MockUpstream.count("/rt/latency-slow/v1/chat/completions");
        assertTrue(slow >= 1 && slow <= 6, "measured once, then rarely explored: " + slow + " of 22");
        assertTrue(deployment("latency-slow").getDouble("ttfb_ewma_ms") > deployment("latency-fast").getDouble("ttfb_ewma_ms"));
    }

    @Test
    void aDeploymentWhoseKeyVariableIsUnsetIsReportedAndLeftOut() {
        for (int i = 0; i < 5; i++) {
            assertEquals("half-ok", chat(body("half-configured")).header("x-sluice-deployment"));
        }
        JsonPath missing = deployment("half-missing");
        assertEquals("unusable", missing.getString("state"));
        assertTrue(missing.getString("unusable_reason").contains("SLUICE_TEST_UNSET_KEY_VARIABLE"), missing.prettify());
        assertEquals(0, MockUpstream.count("/rt/half-missing/v1/chat/completions"));
    }

    @Test
    void routingDecisionsAreMetered() {
        MockUpstream.on("POST", PRIMARY, MockUpstream.serverError());
        chat(body("pair")).then().statusCode(200);

        String metrics = RoutingClient.metrics();
        assertTrue(metrics.contains("sluice_routing_attempts_total{deployment=\"pair-primary\",group=\"pair\","
                + "outcome=\"server_error\"}"), "failed attempts by outcome");
        assertTrue(metrics.contains("sluice_routing_attempts_total{deployment=\"pair-secondary\",group=\"pair\","
                + "outcome=\"success\"}"));
        assertTrue(metrics.contains("sluice_routing_deployment_state{deployment=\"pair-primary\",group=\"pair\","
                + "state=\"healthy\"} 1.0"), "state gauges");
        assertTrue(metrics.contains("sluice_routing_in_flight{deployment=\"pair-primary\",group=\"pair\"}"));
    }
}
