package dev.sluice.provider.gemini;

import dev.sluice.testing.JsonAssert;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static dev.sluice.testing.ErrorAssert.assertError;
import static dev.sluice.testing.ErrorAssert.error;
import static dev.sluice.testing.JsonAssert.assertJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gemini answers (the documented examples: text, function calls, parallel calls, thinking with cached tokens,
 * a blocked prompt, finish reasons, log probabilities, several candidates), errors, embeddings and the model list
 * coming back as exactly the OpenAI objects expected.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class GeminiResponseTest {

    static final String GENERATE = GeminiRequestTest.GENERATE;
    static final String ASK = """
            {"model": "gemini/gemini-2.5-flash", "messages": [{"role": "user", "content": "Hi"}]}
            """;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static Response chat(String upstreamAnswer, String request) {
        MockUpstream.on("POST", GENERATE, GeminiFixtures.json(upstreamAnswer));
        return given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request).when().post("/v1/chat/completions");
    }

    private static void assertCompletion(String expected, Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        String body = response.asString();
        long created = JsonAssert.parse(body).path("created").asLong();
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - created) < 60);
        assertJson(JsonAssert.without(expected, "created"), JsonAssert.without(body, "created"));
    }

    @Test
    void text() {
        assertCompletion("""
                {"id": "chatcmpl-mG-2aKWJLtqX1dkP7Zq3qAw", "object": "chat.completion", "model": "gemini-2.5-flash",
                 "choices": [{"index": 0, "message": {"role": "assistant",
                   "content": "AI learns patterns from data to make predictions or decisions.", "refusal": null},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 8, "completion_tokens": 11, "total_tokens": 19,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, chat(GeminiFixtures.TEXT, ASK));
    }

    @Test
    void generatedImagesComeBackAsMessageImagesWithTheirSignatureAndDraftsStayOut() {
        assertCompletion("""
                {"id": "chatcmpl-img-2aPCqLdqX1dkP3cDb4Ac", "object": "chat.completion", "model": "gemini-2.5-flash-image",
                 "choices": [{"index": 0, "message": {"role": "assistant",
                   "content": "Here is a nano banana dish in a fancy restaurant.", "refusal": null,
                   "images": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"},
                               "extra_content": {"google": {"thought_signature": "EuYBCuMBAdHtim8"}}}]},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 12, "completion_tokens": 1299, "total_tokens": 1311,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """.formatted(GeminiFixtures.PNG), chat(GeminiFixtures.IMAGE, """
                {"model": "gemini/gemini-2.5-flash", "modalities": ["text", "image"],
                 "messages": [{"role": "user", "content": "Create a picture of a nano banana dish"}]}
                """));
    }

    @Test
    void codeTheModelRanBecomesFencedBlocksOfTheContent() {
        assertCompletion("""
                {"id": "chatcmpl-code-2aPCqLdqX1dkP3cDb4Ac", "object": "chat.completion", "model": "gemini-2.5-flash",
                 "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null,
                   "content": "I'll calculate the sum of the first 50 prime numbers.\\n```python\\nprimes = [n for n in range(2, 300) if all(n % d for d in range(2, n))][:50]\\nprint(sum(primes))\\n```\\n```output\\n5117\\n```\\nThe sum of the first 50 prime numbers is 5117."},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 50, "completion_tokens": 90, "total_tokens": 140,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, chat(GeminiFixtures.CODE_EXECUTION, ASK));
    }

    @Test
    void googleSearchGroundingBecomesUrlCitationsInCodePoints() {
        assertCompletion("""
                {"id": "chatcmpl-grnd-2aPCqLdqX1dkP3cDb4Ac", "object": "chat.completion", "model": "gemini-2.5-flash",
                 "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null,
                   "content": "Spain won Euro 2024 \ud83c\udfc6, defeating England 2-1 in the final. This victory marks Spain's record fourth European Championship title.",
                   "annotations": [
                     {"type": "url_citation", "url_citation": {"start_index": 0, "end_index": 58,
                       "url": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM1", "title": "aljazeera.com"}},
                     {"type": "url_citation", "url_citation": {"start_index": 59, "end_index": 128,
                       "url": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM1", "title": "aljazeera.com"}},
                     {"type": "url_citation", "url_citation": {"start_index": 59, "end_index": 128,
                       "url": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM2", "title": "uefa.com"}}]},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 6, "completion_tokens": 30, "total_tokens": 36,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, chat(GeminiFixtures.GROUNDED, """
                {"model": "gemini/gemini-2.5-flash", "web_search_options": {},
                 "messages": [{"role": "user", "content": "Who won the euro 2024?"}]}
                """));
    }

    @Test
    void functionCallWithItsStableIdAndThoughtSignature() {
        Response first = chat(GeminiFixtures.FUNCTION_CALL, ASK);
        assertCompletion("""
                {"id": "chatcmpl-Xn-2aO3qHp2b1dkPoszmsQE", "object": "chat.completion", "model": "gemini-3-pro-preview",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": null,
                   "tool_calls": [{"id": "call_Xn-2aO3qHp2b1dkPoszmsQE_0", "type": "function",
                     "function": {"name": "set_light_values", "arguments": "{\\"brightness\\":25,\\"color_temp\\":\\"warm\\"}"},
                     "extra_content": {"google": {"thought_signature": "CiQB0e2Kb3dRh+BYdbZvmulSN2Pwwc75DfQOZRqSzx5O6DcIo2wKVwHR7YpvQA=="}}}]},
                   "logprobs": null, "finish_reason": "tool_calls"}],
                 "usage": {"prompt_tokens": 74, "completion_tokens": 81, "total_tokens": 155,
                           "prompt_tokens_details": {"cached_tokens": 0},
                           "completion_tokens_details": {"reasoning_tokens": 60}}}
                """, first);
        // the same answer gives the same id: ids are derived from Gemini's response id, not random
        assertEquals(first.jsonPath().getString("choices[0].message.tool_calls[0].id"),
                chat(GeminiFixtures.FUNCTION_CALL, ASK).jsonPath().getString("choices[0].message.tool_calls[0].id"));
    }

    @Test
    void parallelCallsGetOneIdEach() {
        Response response = chat(GeminiFixtures.PARALLEL_CALLS, ASK);
        assertEquals(List.of("call_a2-2aN7qB9qX1dkPvr2K6Qc_0", "call_a2-2aN7qB9qX1dkPvr2K6Qc_1",
                "call_a2-2aN7qB9qX1dkPvr2K6Qc_2"), response.jsonPath().getList("choices[0].message.tool_calls.id"));
        assertEquals(List.of("power_disco_ball", "start_music", "dim_lights"),
                response.jsonPath().getList("choices[0].message.tool_calls.function.name"));
        assertEquals("{\"energetic\":true,\"loud\":true}",
                response.jsonPath().getString("choices[0].message.tool_calls[1].function.arguments"));
        assertEquals("tool_calls", response.jsonPath().getString("choices[0].finish_reason"));
    }

    @Test
    void thoughtsBecomeReasoningContentAndCachedAndThinkingTokensAreCounted() {
        assertCompletion("""
                {"id": "chatcmpl-b3-2aPqQDdqX1dkP7Zq3qAw", "object": "chat.completion", "model": "gemini-2.5-pro",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "2024 = 2^3 × 11 × 23.",
                   "refusal": null,
                   "reasoning_content": "**Analyzing the problem**\\nThe prime factors of 2024 are needed."},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 2100, "completion_tokens": 438, "total_tokens": 2538,
                           "prompt_tokens_details": {"cached_tokens": 2048},
                           "completion_tokens_details": {"reasoning_tokens": 424}}}
                """, chat(GeminiFixtures.THINKING, ASK));
    }

    @Test
    void aBlockedPromptIsAClear400() {
        assertError(error("Provider 'gemini' refused the prompt: Gemini blocked it (blockReason SAFETY; "
                + "HARM_CATEGORY_DANGEROUS_CONTENT)",
                "invalid_request_error", "messages", "content_policy_violation"), chat(GeminiFixtures.BLOCKED_PROMPT, ASK).then().statusCode(400).extract().asString());
    }

    @Test
    void finishReasons() {
        for (String[] c : new String[][]{{"SAFETY", "content_filter"}, {"RECITATION", "content_filter"},
                {"BLOCKLIST", "content_filter"}, {"PROHIBITED_CONTENT", "content_filter"}, {"SPII", "content_filter"},
                {"MAX_TOKENS", "length"}, {"STOP", "stop"}, {"OTHER", "stop"}}) {
            assertEquals(c[1], chat(GeminiFixtures.finished(c[0]), ASK).jsonPath().getString("choices[0].finish_reason"),
                    c[0]);
        }
    }

    @Test
    void severalCandidatesAreSeveralChoicesAndLogprobsAreMapped() {
        Response response = chat("""
                {"candidates": [
                   {"content": {"parts": [{"text": "Hi"}], "role": "model"}, "finishReason": "STOP", "index": 0,
                    "logprobsResult": {"topCandidates": [{"candidates": [{"token": "Hi", "logProbability": -0.1},
                                                                         {"token": "Hello", "logProbability": -2.5}]}],
                                       "chosenCandidates": [{"token": "Hi", "logProbability": -0.1}]}},
                   {"content": {"parts": [{"text": "Hello"}], "role": "model"}, "finishReason": "MAX_TOKENS", "index": 1}],
                 "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 2, "totalTokenCount": 5},
                 "modelVersion": "gemini-2.5-flash", "responseId": "n2-aaa"}
                """, """
                {"model": "gemini/gemini-2.5-flash", "n": 2, "logprobs": true, "top_logprobs": 2,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertEquals(200, response.statusCode());
        assertEquals(List.of(0, 1), response.jsonPath().getList("choices.index"));
        assertEquals(List.of("Hi", "Hello"), response.jsonPath().getList("choices.message.content"));
        assertEquals(List.of("stop", "length"), response.jsonPath().getList("choices.finish_reason"));
        assertJson("""
                {"content": [{"token": "Hi", "logprob": -0.1, "bytes": [72, 105],
                              "top_logprobs": [{"token": "Hi", "logprob": -0.1, "bytes": [72, 105]},
                                               {"token": "Hello", "logprob": -2.5, "bytes": [72, 101, 108, 108, 111]}]}],
                 "refusal": null}
                """, JsonAssert.parse(response.asString()).path("choices").get(0).path("logprobs").toString());
        assertEquals(5, response.jsonPath().getInt("usage.total_tokens"));
    }

    @Test
    void errorsMapToOpenAiStatusesAndTypes() {
        MockUpstream.on("POST", GENERATE, MockUpstream.json(429, GeminiFixtures.RATE_LIMITED));
        Response limited = given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                .contentType(ContentType.JSON).body(ASK).post("/v1/chat/completions");
        assertEquals(429, limited.statusCode());
        assertEquals("37", limited.header("Retry-After"));
        assertError(error("Provider 'gemini' is rate limiting requests: You exceeded your current quota, please "
                + "check your plan and billing details.",
                "rate_limit_error", null, "rate_limit_exceeded"), limited.asString());

        upstreamError(400, GeminiFixtures.BAD_KEY, 401, error("Provider 'gemini' refused Sluice's credentials (HTTP 400): API key not valid. Please "
                + "pass a valid API key.", "authentication_error", null, "upstream_auth_failed"));
        upstreamError(503, GeminiFixtures.error(503, "UNAVAILABLE", "The model is overloaded."), 503, error("Provider 'gemini' is unavailable (HTTP 503): The model is overloaded.",
                "upstream_error", null, "upstream_overloaded"));
        upstreamError(404, GeminiFixtures.error(404, "NOT_FOUND",
                "models/gemini-9 is not found for API version v1beta"), 404, error("models/gemini-9 is not found for API version v1beta",
                        "invalid_request_error", "model", "model_not_found"));
        upstreamError(400, GeminiFixtures.error(400, "INVALID_ARGUMENT",
                "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."), 400, error("The input token count (1200000) exceeds the maximum number of tokens allowed "
                        + "(1048576).", "invalid_request_error", null, "context_length_exceeded"));
        upstreamError(403, GeminiFixtures.error(403, "PERMISSION_DENIED", "Permission denied on resource."), 403, error("Provider 'gemini' refused the request (HTTP 403): Permission denied on resource.",
                "permission_error", null, "upstream_permission_denied"));
        upstreamError(500, GeminiFixtures.error(500, "INTERNAL", "An internal error has occurred."), 502, error("Provider 'gemini' failed with HTTP 500 (INTERNAL): An internal error has occurred.",
                "upstream_error", null, "upstream_error"));
        upstreamError(504, GeminiFixtures.error(504, "DEADLINE_EXCEEDED", "Deadline expired."), 504, error("Provider 'gemini' timed out (HTTP 504): Deadline expired.",
                "server_error", null, "upstream_timeout"));
    }

    /** Gemini answers with this error; the client gets this status and exactly this error object. */
    private static void upstreamError(int upstreamStatus, String body, int status, String error) {
        MockUpstream.on("POST", GENERATE, MockUpstream.json(upstreamStatus, body));
        assertError(error, given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                .contentType(ContentType.JSON).body(ASK).post("/v1/chat/completions").then().statusCode(status)
                .extract().asString());
    }

    @Test
    void embeddingsOfOneStringAndOfAList() {
        String embed = "/gemini/v1beta/models/gemini-embedding-001:embedContent";
        String batch = "/gemini/v1beta/models/gemini-embedding-001:batchEmbedContents";
        MockUpstream.on("POST", embed, MockUpstream.json(200, "{\"embedding\": {\"values\": [0.013168523, -0.008711934, 0.5]}}"));
        given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"gemini/gemini-embedding-001\", \"input\": \"What is the meaning of life?\", "
                        + "\"dimensions\": 3}")
                .post("/v1/embeddings").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data[0].object", equalTo("embedding"))
                .body("data[0].index", equalTo(0))
                .body("data[0].embedding.size()", equalTo(3))
                .body("model", equalTo("gemini-embedding-001"))
                // Gemini reports no token counts for embeddings: Sluice's estimate fills usage
                .body("usage.prompt_tokens", org.hamcrest.Matchers.greaterThan(0))
                .body("usage.total_tokens", org.hamcrest.Matchers.greaterThan(0));
        MockUpstream.Received sent = MockUpstream.last(embed);
        assertEquals(MockUpstream.GEMINI_KEY, sent.headers().get("x-goog-api-key"));
        assertJson("{\"content\": {\"parts\": [{\"text\": \"What is the meaning of life?\"}]}, \"outputDimensionality\": 3}",
                sent.body());

        MockUpstream.on("POST", batch, MockUpstream.json(200,
                "{\"embeddings\": [{\"values\": [1.0, 0.5]}, {\"values\": [-0.25, 2.0]}]}"));
        Response list = given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                .contentType(ContentType.JSON)
                .body("{\"model\": \"gemini/gemini-embedding-001\", \"input\": [\"first\", \"second\"], "
                        + "\"encoding_format\": \"base64\", \"task_type\": \"RETRIEVAL_DOCUMENT\"}")
                .post("/v1/embeddings");
        assertEquals(200, list.statusCode(), list.asString());
        assertEquals(List.of(0, 1), list.jsonPath().getList("data.index"));
        ByteBuffer second = ByteBuffer.wrap(Base64.getDecoder().decode(list.jsonPath().getString("data[1].embedding")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-0.25f, second.getFloat());
        assertEquals(2.0f, second.getFloat());
        assertJson("""
                {"requests": [
                  {"content": {"parts": [{"text": "first"}]}, "taskType": "RETRIEVAL_DOCUMENT", "model": "models/gemini-embedding-001"},
                  {"content": {"parts": [{"text": "second"}]}, "taskType": "RETRIEVAL_DOCUMENT", "model": "models/gemini-embedding-001"}]}
                """, MockUpstream.last(batch).body());

        String tokens = given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                .contentType(ContentType.JSON)
                .body("{\"model\": \"gemini/gemini-embedding-001\", \"input\": [[1, 2, 3]]}")
                .post("/v1/embeddings").then().statusCode(400).extract().asString();
        assertError(error("Provider 'gemini' cannot honour 'input[0]': Gemini embeds text, not token ids",
                "invalid_request_error", "input[0]", "unsupported_parameter"), tokens);
    }

    @Test
    void theModelListComesFromGeminiWithoutTheModelsPrefix() {
        given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).get("/v1/models").then()
                .statusCode(200)
                .body("data.id", hasItems("gemini/gemini-2.5-flash", "gemini/gemini-embedding-001"));
    }
}
