package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sluice.testing.ErrorAssert.assertError;
import static dev.sluice.testing.ErrorAssert.error;
import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anthropic streams (the documented examples: text, tool use with its input split over many deltas, extended
 * thinking, prompt caching, an error event) coming back as exactly the OpenAI chunks expected, each relayed as
 * soon as its event arrives.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class AnthropicStreamingTest {

    static final String MESSAGES = "/anthropic/v1/messages";
    static final String ASK_STREAM = """
            {"model": "anthropic/claude-sonnet-4-5", "stream": true, "stream_options": {"include_usage": true},
             "messages": [{"role": "user", "content": "Hi"}]}
            """;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static Sse.Result stream(String fixture, String request) throws Exception {
        MockUpstream.on("POST", MESSAGES, MockUpstream.recordedSse(Duration.ofMillis(1), fixture));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", request).build());
        assertEquals(200, result.status());
        assertTrue(result.contentType().startsWith("text/event-stream"), result.contentType());
        return result;
    }

    /**
     * Asserts the chunks are exactly the expected ones (one JSON object per line, {@code id}, {@code object},
     * {@code model} and {@code created} filled in from the first chunk), and that the stream ended with [DONE].
     */
    private static void assertChunks(Sse.Result result, String id, String model, String expectedLines) {
        assertTrue(result.events().get(result.events().size() - 1).done(), "the stream ends with [DONE]");
        List<JsonObject> chunks = result.chunks();
        long created = chunks.get(0).getLong("created");
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - created) < 60);
        List<String> expected = expectedLines.lines().filter(l -> !l.isBlank()).toList();
        List<String> actual = new ArrayList<>();
        for (JsonObject c : chunks) {
            actual.add(c.encode());
        }
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            if (i >= expected.size() || i >= actual.size()) {
                assertEquals(expected, actual, "chunk count differs");
            }
            JsonObject e = new JsonObject(expected.get(i));
            e.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
            assertJson(e.encode(), actual.get(i));
        }
    }

    @Test
    void textFirstChunkCarriesTheRoleAndUsageComesLast() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.TEXT_STREAM, ASK_STREAM);
        assertChunks(result, "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "claude-sonnet-4-5-20250929", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "Hello"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "!"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 25, "completion_tokens": 15, "total_tokens": 40, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
    }

    @Test
    void toolArgumentsArriveAsIncrementallyAsAnthropicSendsThem() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.TOOL_USE_STREAM, """
                {"model": "anthropic/claude-sonnet-4-5", "stream": true, "stream_options": {"include_usage": true},
                 "tools": [{"type": "function", "function": {"name": "get_weather"}}],
                 "messages": [{"role": "user", "content": "Weather in San Francisco?"}]}
                """);
        assertChunks(result, "msg_014p7gG3wDgGV9EUtLvnow3U", "claude-sonnet-4-5-20250929", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "Okay"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": ", let's check the weather for San Francisco, CA:"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{\\"location\\":"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": " \\"San"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": " Francisc"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "o,"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": " CA\\""}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": ", "}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "\\"unit\\": \\"fah"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "renheit\\"}"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "tool_calls"}]}
                {"choices": [], "usage": {"prompt_tokens": 472, "completion_tokens": 89, "total_tokens": 561, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
        StringBuilder arguments = new StringBuilder();
        for (JsonObject c : result.chunks()) {
            var calls = c.getJsonArray("choices").isEmpty() ? null
                    : c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls");
            if (calls != null) {
                arguments.append(calls.getJsonObject(0).getJsonObject("function").getString("arguments"));
            }
        }
        assertJson("{\"location\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}", arguments.toString());
    }

    @Test
    void webSearchCitationsArriveAsAnAnnotationsDeltaWhenTheCitedBlockEnds() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.WEB_SEARCH_STREAM, """
                {"model": "anthropic/claude-opus-4-1", "stream": true, "stream_options": {"include_usage": true},
                 "web_search_options": {}, "messages": [{"role": "user", "content": "Weather in NYC?"}]}
                """);
        assertChunks(result, "msg_01Web5earchStream", "claude-opus-4-1-20250805", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "Here's the current weather: "}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "sunny, 75°F"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": " in Manhattan."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"annotations": [{"type": "url_citation", "url_citation": {"start_index": 28, "end_index": 53, "url": "https://www.weather.com/nyc", "title": "Weather in New York City in May 2025"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 2679, "completion_tokens": 510, "total_tokens": 3189, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
    }

    @Test
    void aFunctionsApiClientGetsItsCallAsFunctionCallDeltas() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.TOOL_USE_STREAM, """
                {"model": "anthropic/claude-sonnet-4-5", "stream": true, "stream_options": {"include_usage": true},
                 "functions": [{"name": "get_weather", "parameters": {"type": "object",
                                "properties": {"location": {"type": "string"}}}}],
                 "messages": [{"role": "user", "content": "Weather in San Francisco?"}]}
                """);
        assertChunks(result, "msg_014p7gG3wDgGV9EUtLvnow3U", "claude-sonnet-4-5-20250929", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "Okay"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": ", let's check the weather for San Francisco, CA:"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"name": "get_weather", "arguments": ""}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": "{\\"location\\":"}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": " \\"San"}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": " Francisc"}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": "o,"}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": " CA\\""}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": ", "}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": "\\"unit\\": \\"fah"}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"function_call": {"arguments": "renheit\\"}"}}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "function_call"}]}
                {"choices": [], "usage": {"prompt_tokens": 472, "completion_tokens": 89, "total_tokens": 561, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
        JsonNode sent = parse(MockUpstream.last(MESSAGES).body());
        assertJson("""
                {"tools": [{"name": "get_weather", "input_schema": {"type": "object",
                            "properties": {"location": {"type": "string"}}}}],
                 "tool_choice": {"type": "auto", "disable_parallel_tool_use": true}}
                """, "{\"tools\": " + sent.get("tools") + ", \"tool_choice\": " + sent.get("tool_choice") + "}");
    }

    @Test
    void thinkingStreamsAsReasoningContentThenItsSignedBlock() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.THINKING_STREAM, """
                {"model": "anthropic/claude-sonnet-4-5", "stream": true, "reasoning_effort": "high",
                 "messages": [{"role": "user", "content": "What is the GCD of 1071 and 462?"}]}
                """);
        assertChunks(result, "msg_01ThinkStream", "claude-sonnet-4-5-20250929", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"reasoning_content": "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\\n\\n1071 = 2 × 462 + 147"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"reasoning_content": "\\n462 = 3 × 147 + 21\\n147 = 7 × 21 + 0\\n\\nSo GCD(1071, 462) = 21"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"thinking_blocks": [{"type": "thinking", "thinking": "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\\n\\n1071 = 2 × 462 + 147\\n462 = 3 × 147 + 21\\n147 = 7 × 21 + 0\\n\\nSo GCD(1071, 462) = 21", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "The greatest common divisor of 1071 and 462 is **21**."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                """);
        JsonNode sent = parse(MockUpstream.last(MESSAGES).body());
        assertEquals(16384, sent.at("/thinking/budget_tokens").asInt());
    }

    @Test
    void cacheCountsFromMessageStartSurviveToTheUsageChunk() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.CACHED_STREAM, ASK_STREAM);
        List<JsonObject> chunks = result.chunks();
        assertEquals("length", chunks.get(chunks.size() - 2).getJsonArray("choices").getJsonObject(0)
                .getString("finish_reason"));
        assertJson("""
                {"prompt_tokens": 188107, "completion_tokens": 1024, "total_tokens": 189131,
                 "prompt_tokens_details": {"cached_tokens": 188086}}
                """, chunks.get(chunks.size() - 1).getJsonObject("usage").encode());
    }

    @Test
    void aForcedToolAnswerStreamsAsContent() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.FORCED_TOOL_STREAM, """
                {"model": "anthropic/claude-3-5-haiku-20241022", "stream": true,
                 "messages": [{"role": "user", "content": "Extract"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "contact",
                   "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
                """);
        assertChunks(result, "msg_01ForcedStream", "claude-3-5-haiku-20241022", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "{\\"name\\": \\"John"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": " Smith\\"}"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                """);
    }

    @Test
    void withoutIncludeUsageNoUsageChunkIsSent() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.TEXT_STREAM, """
                {"model": "anthropic/claude-sonnet-4-5", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
                """);
        List<JsonObject> chunks = result.chunks();
        assertEquals(4, chunks.size());
        assertTrue(chunks.stream().noneMatch(c -> c.containsKey("usage")));
        assertTrue(result.events().get(result.events().size() - 1).done());
    }

    @Test
    void anErrorEventEndsTheStreamWithAnOpenAiErrorEvent() throws Exception {
        Sse.Result result = stream(AnthropicFixtures.ERROR_STREAM, ASK_STREAM);
        List<Sse.Event> events = result.events();
        assertFalse(events.get(events.size() - 1).done(), "a failed stream does not end with [DONE]");
        assertError(error("Provider 'anthropic' is overloaded (HTTP 529): Overloaded", "upstream_error", null,
                "upstream_overloaded"), events.get(events.size() - 1).data());
        assertEquals("Once upon", events.get(1).json().getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("content"), "what arrived before the error was relayed");
    }

    @Test
    void aStreamCutBeforeMessageStopIsAnErrorNotAnEnding() throws Exception {
        String cut = AnthropicFixtures.TEXT_STREAM.substring(0,
                AnthropicFixtures.TEXT_STREAM.indexOf("event: content_block_stop"));
        Sse.Result result = stream(cut, ASK_STREAM);
        List<Sse.Event> events = result.events();
        assertFalse(events.get(events.size() - 1).done());
        assertError(error("Provider 'anthropic' sent a response Sluice could not read: the stream ended before "
                + "message_stop", "upstream_error", null, "upstream_bad_response"), events.get(events.size() - 1).data());
    }

    @Test
    void eachChunkIsRelayedWhileAnthropicIsStillStreaming() throws Exception {
        CompletableFuture<Void> rest = new CompletableFuture<>();
        String[] events = AnthropicFixtures.TEXT_STREAM.strip().split("\n\n");
        MockUpstream.on("POST", MESSAGES, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            // message_start, content_block_start, ping, the first text delta; the rest only when released
            for (int i = 0; i < 4; i++) {
                ctx.response().write(events[i] + "\n\n");
            }
            rest.whenComplete((v, f) -> MockUpstream.vertx().runOnContext(x -> {
                for (int i = 4; i < events.length; i++) {
                    ctx.response().write(events[i] + "\n\n");
                }
                ctx.response().end();
            }));
        });
        HttpResponse<InputStream> response = Sse.open(Sse.post("/v1/chat/completions", ASK_STREAM).build());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<String> data = new ArrayList<>();
            String line;
            while (data.size() < 2 && (line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
            assertTrue(data.get(1).contains("\"Hello\""), "the first text arrives before Anthropic finished: " + data);
            assertFalse(rest.isDone());
            rest.complete(null);
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
            assertEquals("[DONE]", data.get(data.size() - 1));
        } finally {
            rest.complete(null);
        }
        rest.get(5, TimeUnit.SECONDS);
    }
}
