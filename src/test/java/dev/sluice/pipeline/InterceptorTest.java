package dev.sluice.pipeline;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract features rely on: refusal before the upstream, one finish per exchange, final bytes held back. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class InterceptorTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        RecordingInterceptor.FINISHED.clear();
    }

    private static String body(String user, boolean stream) {
        return "{\"model\":\"openai/gpt-4o\",\"user\":\"" + user + "\",\"stream\":" + stream
                + ",\"stream_options\":" + (stream ? "{\"include_usage\":true}" : "null")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    @Test
    void aRefusalBeforeTheUpstreamNeverReachesItAndKeepsTheHeadersSet() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body("interceptor-test-refuse", false))
                .when().post("/v1/chat/completions")
                .then().statusCode(429).header("x-test-seen", "openai").body("error.code", equalTo("test_refusal"));
        assertTrue(MockUpstream.received().isEmpty());
        assertEquals(Outcome.Status.FAILED, RecordingInterceptor.FINISHED.get(0).status());
    }

    @Test
    void finishRunsOnceWithTheUpstreamsUsageForWholeResponsesAndStreams() throws Exception {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body("interceptor-test-a", false))
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-test-seen", "openai");
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.sse(Duration.ZERO,
                chunk("{\"role\":\"assistant\",\"content\":\"x\"}", null), chunk("{}", "stop"), usageChunk(4, 1), "[DONE]"));
        Sse.send(Sse.post("/v1/chat/completions", body("interceptor-test-b", true)).build());

        assertEquals(2, RecordingInterceptor.FINISHED.size(), RecordingInterceptor.FINISHED.toString());
        RecordingInterceptor.Finished whole = RecordingInterceptor.FINISHED.get(0);
        assertEquals(Outcome.Status.SUCCEEDED, whole.status());
        assertTrue(whole.usage().contains("\"total_tokens\":11"), whole.usage());
        RecordingInterceptor.Finished streamed = RecordingInterceptor.FINISHED.get(1);
        assertEquals(Outcome.Status.SUCCEEDED, streamed.status());
        assertTrue(streamed.usage().contains("\"total_tokens\":5"), streamed.usage());
    }

    @Test
    void theDoneEventWaitsForFinishToComplete() throws Exception {
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", body("interceptor-test-slow-finish", true)).build());
        Sse.Event done = result.events().get(result.events().size() - 1);
        assertTrue(done.done());
        assertTrue(done.arrivedNanos() > RecordingInterceptor.FINISH_COMPLETED_AT.get(),
                "[DONE] may only leave once finish completed");
    }

    @Test
    void aClientThatHangsUpFinishesTheExchangeAsAborted() throws Exception {
        MockUpstream.on("POST", "/openai/v1/chat/completions", ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"x\"}", null) + "\n\n");
        });
        var response = Sse.open(Sse.post("/v1/chat/completions", body("interceptor-test-abort", true)).build());
        InputStream in = response.body();
        assertTrue(in.read(new byte[32]) > 0);
        in.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (RecordingInterceptor.FINISHED.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, RecordingInterceptor.FINISHED.size());
        assertEquals(Outcome.Status.ABORTED, RecordingInterceptor.FINISHED.get(0).status());
    }

    @Test
    void aClientThatHangsUpWhileFinishIsUnderWayIsStillCountedByEveryInterceptorAfterIt() throws Exception {
        double before = requestsCounted();
        String json = body("interceptor-test-slow-finish", false);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + MockUpstream.MASTER_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n"
                    + json).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            // the slow interceptor's finish takes 400 ms: hang up while it is under way
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (RecordingInterceptor.FINISHED.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, RecordingInterceptor.FINISHED.size(), "the exchange reached its finish");
        }
        // the metrics come after the slow interceptor: they still count the request
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (requestsCounted() < before + 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before + 1, requestsCounted(), 0.0, "sluice_requests_total counts the request");
    }

    /** sluice_requests_total of this class's requests that the upstream answered (status 200), from /q/metrics. */
    private static double requestsCounted() {
        String metrics = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics").then().statusCode(200).extract().asString();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("sluice_requests_total{") && line.contains("model=\"openai/gpt-4o\"")
                    && line.contains("operation=\"chat\"") && line.contains("status=\"200\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
