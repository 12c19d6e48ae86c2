package dev.sluice.api;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(MockUpstream.class)
class StreamingTest {

    static final String COMPLETIONS = "/openai/v1/chat/completions";
    static final String STREAM_BODY = "{\"model\":\"openai/gpt-4o\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void chunksAreRelayedInOrderAndTheStreamEndsWithDone() throws Exception {
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", STREAM_BODY).build());

        assertEquals(200, result.status());
        assertTrue(result.contentType().startsWith("text/event-stream"), result.contentType());
        List<JsonObject> chunks = result.chunks();
        assertEquals(4, chunks.size());
        assertEquals("assistant", chunks.get(0).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("role"));
        assertEquals("Hello", chunks.get(1).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("content"));
        assertEquals("stop", chunks.get(3).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
        assertTrue(result.events().get(result.events().size() - 1).done(), "the stream ends with [DONE]");
        assertTrue(result.rawBody().contains("data: {"), "events use 'data: ' with a space, as OpenAI does");
        assertTrue(MockUpstream.last(COMPLETIONS).json().getBoolean("stream"));
    }

    @Test
    void toolCallDeltasAndTheUsageChunkArriveAsTheUpstreamSentThem() throws Exception {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_abc\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loc\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ation\\\":\\\"Paris\\\"}\"}}]}", null),
                chunk("{}", "tool_calls"),
                usageChunk(12, 7),
                "[DONE]"));

        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}").build());

        List<JsonObject> chunks = result.chunks();
        assertEquals(5, chunks.size());
        StringBuilder arguments = new StringBuilder();
        for (JsonObject c : chunks.subList(0, 3)) {
            arguments.append(c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                    .getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getString("arguments"));
        }
        assertEquals("{\"location\":\"Paris\"}", arguments.toString());
        assertEquals("call_abc", chunks.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                .getJsonArray("tool_calls").getJsonObject(0).getString("id"));
        assertEquals("tool_calls", chunks.get(3).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
        assertEquals(19, chunks.get(4).getJsonObject("usage").getInteger("total_tokens"));
        assertTrue(chunks.get(4).getJsonArray("choices").isEmpty());
        assertEquals(true, MockUpstream.last(COMPLETIONS).json().getJsonObject("stream_options")
                .getBoolean("include_usage"), "stream_options reaches the upstream");
    }

    @Test
    void eachChunkIsForwardedAsSoonAsItArrives() throws Exception {
        AtomicLong lastChunkSentAt = new AtomicLong();
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"first\"}", null) + "\n\n");
            MockUpstream.vertx().setTimer(1500, t -> {
                lastChunkSentAt.set(System.nanoTime());
                ctx.response().write("data: " + chunk("{}", "stop") + "\n\n");
                ctx.response().end("data: [DONE]\n\n");
            });
        });

        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", STREAM_BODY).build());

        assertEquals(3, result.events().size());
        long aheadMillis = (lastChunkSentAt.get() - result.events().get(0).arrivedNanos()) / 1_000_000;
        assertTrue(aheadMillis > 1000, "the first chunk reached the client " + aheadMillis + " ms before the "
                + "upstream sent its last one (1.5 s later): nothing is buffered");
    }

    @Test
    void theUpstreamsWaitBeforeItsFirstChunkIsNotCountedAsSluicesOverhead() throws Exception {
        // headers at once, then 1.2 s of "thinking" before the first chunk, as reasoning models do (the tests'
        // stream idle timeout is 2 s)
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().writeHead();
            MockUpstream.vertx().setTimer(1200, t -> {
                ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"hi\"}", null)
                        + "\n\n");
                ctx.response().write("data: " + chunk("{}", "stop") + "\n\n");
                ctx.response().end("data: [DONE]\n\n");
            });
        });

        HttpResponse<InputStream> response = Sse.open(Sse.post("/v1/chat/completions", STREAM_BODY).build());
        String body = new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(200, response.statusCode(), body);
        assertTrue(body.contains("\"hi\"") && body.endsWith("data: [DONE]\n\n"), body);

        double overheadMs = Double.parseDouble(response.headers().firstValue("x-sluice-overhead-ms").orElseThrow());
        assertTrue(overheadMs < 600, "the 1.2 s the upstream took to its first chunk is upstream time, not "
                + "Sluice's overhead: " + overheadMs + " ms");
    }

    @Test
    void aSlowWholeAnswerIsUpstreamTimeToo() {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.slowFirstByte(Duration.ofMillis(1200)));

        String overhead = io.restassured.RestAssured.given().auth().oauth2(MockUpstream.MASTER_KEY)
                .contentType("application/json")
                .body("{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .extract().header("x-sluice-overhead-ms");

        assertTrue(Double.parseDouble(overhead) < 600, "the 1.2 s the upstream took is not Sluice's overhead: "
                + overhead + " ms");
    }

    @Test
    void aClientThatHangsUpCancelsTheUpstreamRequest() throws Exception {
        CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.request().connection().closeHandler(v -> upstreamClosed.complete(null));
            long timer = MockUpstream.vertx().setPeriodic(100, t -> {
                if (!ctx.response().closed()) {
                    ctx.response().write("data: " + chunk("{\"content\":\"tick\"}", null) + "\n\n");
                }
            });
            ctx.response().closeHandler(v -> MockUpstream.vertx().cancelTimer(timer));
        });

        HttpResponse<InputStream> response = Sse.open(Sse.post("/v1/chat/completions", STREAM_BODY).build());
        InputStream in = response.body();
        byte[] first = new byte[64];
        assertTrue(in.read(first) > 0, "the stream started");
        in.close();

        upstreamClosed.get(10, TimeUnit.SECONDS); // fails the test if the upstream request is never cancelled
    }

    @Test
    void streamingWorksForClientsThatAcceptOnlyJson() throws Exception {
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", STREAM_BODY)
                .header("Accept", "application/json").build());
        assertEquals(200, result.status());
        assertTrue(result.contentType().startsWith("text/event-stream"));
        assertTrue(result.events().get(result.events().size() - 1).done());
    }

    @Test
    void aFailureBeforeTheFirstByteKeepsItsStatusAndJsonBody() throws Exception {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(429,
                "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}"));
        MockUpstream.received();
        var response = Sse.open(Sse.post("/v1/chat/completions", STREAM_BODY).build());
        assertEquals(429, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonObject error = new JsonObject(new String(response.body().readAllBytes())).getJsonObject("error");
        assertTrue(error.getString("message").contains("Rate limit reached"));
        assertEquals("rate_limit_exceeded", error.getString("code"));
    }

    @Test
    void aFailureAfterTheFirstByteBecomesAnErrorEventAndTheStreamEndsCleanly() throws Exception {
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"partial\"}", null) + "\n\n");
            MockUpstream.vertx().setTimer(100, t -> ctx.request().connection().close());
        });

        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", STREAM_BODY).build());

        assertEquals(200, result.status());
        assertEquals(2, result.events().size(), result.rawBody());
        JsonObject error = result.events().get(1).json().getJsonObject("error");
        assertEquals("upstream_unavailable", error.getString("code"));
        assertTrue(error.getString("message").contains("openai"));
        assertFalse(result.events().stream().anyMatch(Sse.Event::done), "a failed stream does not claim [DONE]");
    }

    @Test
    void anUpstreamErrorEventMidStreamIsRelayedAsAnOpenAiErrorEvent() throws Exception {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                chunk("{\"role\":\"assistant\",\"content\":\"so\"}", null),
                "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}"));

        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", STREAM_BODY).build());

        JsonObject error = result.events().get(1).json().getJsonObject("error");
        assertTrue(error.getString("message").contains("The server had an error"), error.encode());
        assertEquals("upstream_error", error.getString("code"));
        assertTrue(error.getString("message").contains("openai"), "the event names the provider");
    }

    @Test
    void aStreamThatGoesSilentIsAbortedWithATimeoutEvent() throws Exception {
        MockUpstream.on("POST", COMPLETIONS, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"thinking\"}", null) + "\n\n");
            // then nothing: the stream idle timeout (2s in tests) must end it
        });

        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", STREAM_BODY).build());

        assertEquals(2, result.events().size(), result.rawBody());
        assertEquals("upstream_timeout", result.events().get(1).json().getJsonObject("error").getString("code"));
    }
}
