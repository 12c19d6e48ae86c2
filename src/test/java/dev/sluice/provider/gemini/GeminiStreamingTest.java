package dev.sluice.provider.gemini;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.testing.ErrorAssert.assertError;
import static dev.sluice.testing.ErrorAssert.error;
import static dev.sluice.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gemini streams ({@code streamGenerateContent?alt=sse}: text, thoughts and function calls, Google's error object
 * mid-stream, a cut stream, a blocked prompt) coming back as exactly the OpenAI chunks expected.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class GeminiStreamingTest {

    static final String STREAM = "/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent";
    static final String ASK_STREAM = """
            {"model": "gemini/gemini-2.5-flash", "stream": true, "stream_options": {"include_usage": true},
             "messages": [{"role": "user", "content": "Why is the sky blue?"}]}
            """;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static Sse.Result stream(String fixture, String request) throws Exception {
        MockUpstream.on("POST", STREAM, GeminiFixtures.sse(fixture));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", request).build());
        assertEquals(200, result.status());
        assertTrue(result.contentType().startsWith("text/event-stream"), result.contentType());
        return result;
    }

    /** The chunks are exactly the expected ones ({@code id}, {@code object}, {@code model}, {@code created} added). */
    static void assertChunks(Sse.Result result, String id, String model, String expectedLines) {
        assertTrue(result.events().get(result.events().size() - 1).done(), "the stream ends with [DONE]");
        List<JsonObject> chunks = result.chunks();
        long created = chunks.get(0).getLong("created");
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - created) < 60);
        List<String> expected = expectedLines.lines().filter(l -> !l.isBlank()).toList();
        List<String> actual = new ArrayList<>();
        chunks.forEach(c -> actual.add(c.encode()));
        assertEquals(expected.size(), actual.size(), "chunk count differs: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            JsonObject e = new JsonObject(expected.get(i));
            e.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
            assertJson(e.encode(), actual.get(i));
        }
    }

    @Test
    void text() throws Exception {
        Sse.Result result = stream(GeminiFixtures.TEXT_STREAM, ASK_STREAM);
        assertChunks(result, "chatcmpl-vG-2aPCqLdqX1dkP3cDb4Ac", "gemini-2.5-flash", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "The"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": " sky is blue because of"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": " Rayleigh scattering."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 8, "completion_tokens": 9, "total_tokens": 17, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
        MockUpstream.Received sent = MockUpstream.last(STREAM);
        assertEquals(STREAM + "?alt=sse", sent.uri());
        assertEquals("text/event-stream", sent.headers().get("accept"));
        assertEquals(MockUpstream.GEMINI_KEY, sent.headers().get("x-goog-api-key"));
        assertJson("{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Why is the sky blue?\"}]}]}",
                sent.body());
    }

    @Test
    void thoughtsAndWholeFunctionCallsBecomeIncrementalToolCallDeltas() throws Exception {
        Sse.Result result = stream(GeminiFixtures.TOOL_STREAM, ASK_STREAM);
        assertChunks(result, "chatcmpl-wH-2aLyKN9qX1dkP1cK4sQc", "gemini-2.5-flash", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "reasoning_content": "I should check the weather."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "call_wH-2aLyKN9qX1dkP1cK4sQc_0", "type": "function", "function": {"name": "get_weather", "arguments": ""}, "extra_content": {"google": {"thought_signature": "EqoBCqcBAdHtim9Xd0"}}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{\\"city\\":\\"Paris\\",\\"unit\\":\\"celsius\\"}"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 1, "id": "call_wH-2aLyKN9qX1dkP1cK4sQc_1", "type": "function", "function": {"name": "get_time", "arguments": ""}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 1, "function": {"arguments": "{\\"zone\\":\\"Europe/Paris\\"}"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "tool_calls"}]}
                {"choices": [], "usage": {"prompt_tokens": 30, "completion_tokens": 62, "total_tokens": 92, "prompt_tokens_details": {"cached_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 38}}}
                """);
    }

    @Test
    void aGeneratedImageArrivesAsAnImagesDelta() throws Exception {
        Sse.Result result = stream(GeminiFixtures.IMAGE_STREAM, ASK_STREAM);
        assertChunks(result, "chatcmpl-imgs-2aPCqLdqX1dkP3cDb4Ac", "gemini-2.5-flash-image", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Here is your banana."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"images": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"}, "extra_content": {"google": {"thought_signature": "EuYBCuMBAdHtim8"}}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 1295, "total_tokens": 1307, "prompt_tokens_details": {"cached_tokens": 0}}}
                """.formatted(GeminiFixtures.PNG));
    }

    @Test
    void executedCodeAndAFailedRunArriveAsContent() throws Exception {
        Sse.Result result = stream(GeminiFixtures.CODE_STREAM, ASK_STREAM);
        assertChunks(result, "chatcmpl-codes-2aPCqLdqX1dkP3cDb4Ac", "gemini-2.5-flash", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Let me compute it."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "\\n```python\\nprint(2 ** 10)\\n```\\n"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "Code execution ended with OUTCOME_DEADLINE_EXCEEDED.\\n"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "It is 1024."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
    }

    @Test
    void groundingArrivesAsAnAnnotationsDeltaBeforeTheFinish() throws Exception {
        Sse.Result result = stream(GeminiFixtures.GROUNDED_STREAM, ASK_STREAM);
        assertChunks(result, "chatcmpl-grnds-2aPCqLdqX1dkP3cDb4Ac", "gemini-2.5-flash", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Spain won Euro 2024 \ud83c\udfc6, defeating England 2-1 in the final."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": " This victory marks Spain's record fourth European Championship title."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"annotations": [{"type": "url_citation", "url_citation": {"start_index": 0, "end_index": 58, "url": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM1", "title": "aljazeera.com"}}, {"type": "url_citation", "url_citation": {"start_index": 59, "end_index": 128, "url": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM1", "title": "aljazeera.com"}}, {"type": "url_citation", "url_citation": {"start_index": 59, "end_index": 128, "url": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM2", "title": "uefa.com"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 6, "completion_tokens": 30, "total_tokens": 36, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
    }

    @Test
    void withoutIncludeUsageNoUsageChunkIsSent() throws Exception {
        Sse.Result result = stream(GeminiFixtures.TEXT_STREAM, """
                {"model": "gemini/gemini-2.5-flash", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertEquals(4, result.chunks().size());
        assertFalse(result.rawBody().contains("\"usage\""));
    }

    @Test
    void anErrorObjectMidStreamBecomesAnErrorEvent() throws Exception {
        Sse.Result result = stream(GeminiFixtures.ERROR_STREAM, ASK_STREAM);
        List<Sse.Event> events = result.events();
        assertEquals("Once upon", events.get(0).json().getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("content"));
        assertFalse(events.get(events.size() - 1).done());
        assertError(error("Provider 'gemini' is unavailable (HTTP 503): The model is overloaded. Please try "
                + "again later.", "upstream_error", null, "upstream_overloaded"), events.get(events.size() - 1).data());
    }

    @Test
    void aStreamCutBeforeItsFinishReasonFails() throws Exception {
        Sse.Result result = stream(GeminiFixtures.CUT_STREAM, ASK_STREAM);
        List<Sse.Event> events = result.events();
        assertError(error("Provider 'gemini' sent a response Sluice could not read: the stream ended before a "
                + "finish reason",
                "upstream_error", null, "upstream_bad_response"), events.get(events.size() - 1).data());
    }

    @Test
    void aBlockedPromptInAStreamIsAClear400BeforeAnyByteIsSent() throws Exception {
        // the block arrives as the stream's first event; streams are committed to the client only with their
        // first chunk, so the client gets the refusal as an HTTP 400 rather than a 200 with an error event
        MockUpstream.on("POST", STREAM, GeminiFixtures.sse("data: " + GeminiFixtures.BLOCKED_PROMPT.replace("\n", " ").strip()));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", ASK_STREAM).build());
        assertEquals(400, result.status());
        assertError(error("Provider 'gemini' refused the prompt: Gemini blocked it (blockReason SAFETY; "
                + "HARM_CATEGORY_DANGEROUS_CONTENT)",
                "invalid_request_error", "messages", "content_policy_violation"), result.rawBody());
    }

    @Test
    void severalCandidatesStreamAsSeveralChoices() throws Exception {
        Sse.Result result = stream("""
                data: {"candidates": [{"content": {"parts": [{"text": "A"}],"role": "model"},"index": 0},{"content": {"parts": [{"text": "B"}],"role": "model"},"index": 1}],"responseId": "two"}

                data: {"candidates": [{"content": {"parts": [{"text": "!"}],"role": "model"},"finishReason": "STOP","index": 0},{"content": {"parts": [{"text": "?"}],"role": "model"},"finishReason": "STOP","index": 1}],"usageMetadata": {"promptTokenCount": 2,"candidatesTokenCount": 4,"totalTokenCount": 6},"responseId": "two"}
                """, """
                {"model": "gemini/gemini-2.5-flash", "stream": true, "n": 2, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertChunks(result, "chatcmpl-two", "gemini-2.5-flash", """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "A"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 1, "delta": {"role": "assistant", "content": "B"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "!"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [{"index": 1, "delta": {"content": "?"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 1, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 4, "total_tokens": 6, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
    }
}
