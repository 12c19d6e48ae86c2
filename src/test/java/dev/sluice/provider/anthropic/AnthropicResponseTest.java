package dev.sluice.provider.anthropic;

import dev.sluice.testing.MockUpstream;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.testing.ErrorAssert.assertError;
import static dev.sluice.testing.ErrorAssert.error;
import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.without;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole Anthropic answers (the documented examples: text, tool use, thinking, prompt caching, structured output,
 * refusal) coming back as exactly the OpenAI {@code chat.completion} expected; Anthropic's errors coming back
 * with OpenAI's statuses and types; the model list and the embeddings refusal.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class AnthropicResponseTest {

    static final String MESSAGES = "/anthropic/v1/messages";
    static final String ASK = "{\"model\": \"anthropic/claude-sonnet-4-5\", \"max_tokens\": 1024, "
            + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";

    @Inject
    @CacheName("provider-models")
    Cache modelLists;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static String answer(String anthropicMessage) {
        return answer(anthropicMessage, ASK);
    }

    private static String answer(String anthropicMessage, String request) {
        MockUpstream.on("POST", MESSAGES, MockUpstream.json(200, anthropicMessage));
        Response response = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(request)
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-provider", "anthropic").extract().response();
        long created = response.jsonPath().getLong("created");
        long now = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(now - created) < 60, "created is the time of the answer: " + created);
        return response.asString();
    }

    @Test
    void text() {
        assertJson("""
                {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "object": "chat.completion", "model": "claude-sonnet-4-20250514",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi! My name is Claude.", "refusal": null},
                              "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 2095, "completion_tokens": 503, "total_tokens": 2598,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, without(answer(AnthropicFixtures.TEXT_MESSAGE), "created").toString());
    }

    @Test
    void webSearchCitationsBecomeUrlCitationAnnotationsAndTheSearchBlocksStayOut() {
        assertJson("""
                {"id": "msg_01Web5earchShannon", "object": "chat.completion", "model": "claude-opus-4-1-20250805",
                 "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null,
                   "content": "I'll search for when Claude Shannon was born.Based on the search results, Claude Shannon was born on April 30, 1916, in Petoskey, Michigan",
                   "annotations": [{"type": "url_citation", "url_citation": {"start_index": 74, "end_index": 138,
                     "url": "https://en.wikipedia.org/wiki/Claude_Shannon", "title": "Claude Shannon - Wikipedia"}}]},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 6039, "completion_tokens": 931, "total_tokens": 6970,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, without(answer(AnthropicFixtures.WEB_SEARCH_MESSAGE), "created").toString());
    }

    @Test
    void toolUseKeepsTheCallIdAndTheText() {
        assertJson("""
                {"id": "msg_01Aq9w938a90dw8q", "object": "chat.completion", "model": "claude-sonnet-4-5-20250929",
                 "choices": [{"index": 0, "message": {"role": "assistant",
                    "content": "I'll check the current weather in San Francisco for you.", "refusal": null,
                    "tool_calls": [{"id": "toolu_01A09q90qw90lq917835lq9", "type": "function",
                                    "function": {"name": "get_weather",
                                                 "arguments": "{\\"location\\":\\"San Francisco, CA\\",\\"unit\\":\\"celsius\\"}"}}]},
                   "logprobs": null, "finish_reason": "tool_calls"}],
                 "usage": {"prompt_tokens": 384, "completion_tokens": 67, "total_tokens": 451,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, without(answer(AnthropicFixtures.TOOL_USE_MESSAGE), "created").toString());
    }

    @Test
    void thinkingBecomesReasoningContentAndSignedThinkingBlocks() {
        assertJson("""
                {"id": "msg_01ThinkingExample", "object": "chat.completion", "model": "claude-sonnet-4-5-20250929",
                 "choices": [{"index": 0, "message": {"role": "assistant",
                    "content": "Yes, there are infinitely many prime numbers such that...", "refusal": null,
                    "reasoning_content": "To approach this, let's think about what we know about prime numbers...",
                    "thinking_blocks": [{"type": "thinking",
                        "thinking": "To approach this, let's think about what we know about prime numbers...",
                        "signature": "zbbJhbGciOiJFU8zI1NiIsImtakcjsu38219c0.eyJoYXNoIjoiYWJjMTIzIiwiaWF0IjoxNjE0NTM0NTY3fQ"}]},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 56, "completion_tokens": 1180, "total_tokens": 1236,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, without(answer(AnthropicFixtures.THINKING_MESSAGE), "created").toString());
        assertJson("""
                {"id": "msg_01Redacted", "object": "chat.completion", "model": "claude-sonnet-4-5-20250929",
                 "choices": [{"index": 0, "message": {"role": "assistant",
                    "content": "I cannot share my reasoning on that, but the answer is 42.", "refusal": null,
                    "thinking_blocks": [{"type": "redacted_thinking",
                                         "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"}]},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 40, "completion_tokens": 90, "total_tokens": 130,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, without(answer(AnthropicFixtures.REDACTED_THINKING_MESSAGE), "created").toString());
    }

    @Test
    void cacheWritesAndReadsAreCountedInPromptTokens() {
        assertJson("""
                {"prompt_tokens": 188107, "completion_tokens": 393, "total_tokens": 188500,
                 "prompt_tokens_details": {"cached_tokens": 0, "cache_creation_tokens": 188086}}
                """, without(answer(AnthropicFixtures.CACHE_WRITE_MESSAGE), "created").get("usage").toString());
        String read = answer(AnthropicFixtures.CACHE_READ_MESSAGE);
        assertJson("""
                {"prompt_tokens": 188107, "completion_tokens": 1024, "total_tokens": 189131,
                 "prompt_tokens_details": {"cached_tokens": 188086}}
                """, without(read, "created").get("usage").toString());
        assertEquals("length", without(read, "created").at("/choices/0/finish_reason").asText(),
                "max_tokens is OpenAI's length");
    }

    @Test
    void structuredOutputComesBackAsTheMessageContent() {
        String nativeAnswer = answer(AnthropicFixtures.STRUCTURED_MESSAGE);
        assertEquals("{\"name\":\"John Smith\",\"email\":\"john@example.com\",\"plan_interest\":\"Enterprise\","
                        + "\"demo_requested\":true}",
                without(nativeAnswer, "created").at("/choices/0/message/content").asText());

        String forced = answer(AnthropicFixtures.FORCED_TOOL_MESSAGE, """
                {"model": "anthropic/claude-3-5-haiku-20241022", "messages": [{"role": "user", "content": "Extract"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "contact",
                   "schema": {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}}}}}}
                """);
        assertJson("""
                {"id": "msg_01ForcedTool", "object": "chat.completion", "model": "claude-3-5-haiku-20241022",
                 "choices": [{"index": 0, "message": {"role": "assistant",
                    "content": "{\\"name\\":\\"John Smith\\",\\"email\\":\\"john@example.com\\"}", "refusal": null},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 410, "completion_tokens": 52, "total_tokens": 462,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, without(forced, "created").toString());
    }

    @Test
    void aRefusalIsAContentFilterFinish() {
        assertEquals("content_filter",
                without(answer(AnthropicFixtures.REFUSAL_MESSAGE), "created").at("/choices/0/finish_reason").asText());
    }

    // ---- errors --------------------------------------------------------------------------------------------------

    private static void upstreamFails(int status, String body, String retryAfter) {
        MockUpstream.on("POST", MESSAGES, ctx -> {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .putHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
            if (retryAfter != null) {
                ctx.response().putHeader("retry-after", retryAfter);
            }
            ctx.response().end(body);
        });
    }

    private static io.restassured.response.ValidatableResponse ask(String body) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions").then();
    }

    /** The answer has this status and exactly this OpenAI error object. */
    private static io.restassured.response.ValidatableResponse fails(String request, int status, String error) {
        io.restassured.response.ValidatableResponse response = ask(request).statusCode(status);
        assertError(error, response.extract().asString());
        return response;
    }

    @Test
    void rateLimitIs429KeepingRetryAfter() {
        upstreamFails(429, AnthropicFixtures.error("rate_limit_error", "Number of request tokens has exceeded your "
                + "per-minute rate limit"), "30");
        fails(ASK, 429, error("Provider 'anthropic' is rate limiting requests: Number of request tokens has exceeded "
                + "your per-minute rate limit", "rate_limit_error", null, "rate_limit_exceeded"))
                .header("Retry-After", "30");
    }

    @Test
    void overloadedIs503() {
        upstreamFails(529, AnthropicFixtures.error("overloaded_error", "Overloaded"), null);
        fails(ASK, 503, error("Provider 'anthropic' is overloaded (HTTP 529): Overloaded (Anthropic request id "
                + "req_011CSHoEeqs5C35K2UUqR7Fy)", "upstream_error", null, "upstream_overloaded"));
        // a 529 without a readable body is the same failure
        MockUpstream.on("POST", MESSAGES, ctx -> ctx.response().setStatusCode(529).end("<html>busy</html>"));
        fails(ASK, 503, error("Provider 'anthropic' is overloaded (HTTP 529): the provider is overloaded",
                "upstream_error", null, "upstream_overloaded"));
    }

    @Test
    void clientErrorsKeepTheirMeaning() {
        upstreamFails(404, AnthropicFixtures.error("not_found_error", "model: claude-nope"), null);
        fails(ASK, 404, error("model: claude-nope", "invalid_request_error", "model", "model_not_found"));

        upstreamFails(400, AnthropicFixtures.error("invalid_request_error",
                "prompt is too long: 208310 tokens > 200000 maximum"), null);
        fails(ASK, 400, error("prompt is too long: 208310 tokens > 200000 maximum",
                "invalid_request_error", null, "context_length_exceeded"));

        upstreamFails(400, AnthropicFixtures.error("invalid_request_error", "max_tokens: Field required"), null);
        fails(ASK, 400, error("max_tokens: Field required", "invalid_request_error", null, "invalid_request"));

        upstreamFails(413, AnthropicFixtures.error("request_too_large",
                "Request exceeds the maximum allowed size"), null);
        fails(ASK, 413, error("Request exceeds the maximum allowed size",
                "invalid_request_error", null, "request_too_large"));
    }

    @Test
    void credentialAndServerFailuresNeverLeakTheKey() {
        upstreamFails(401, AnthropicFixtures.error("authentication_error", "invalid x-api-key "
                + MockUpstream.ANTHROPIC_KEY), null);
        fails(ASK, 401, error("Provider 'anthropic' refused Sluice's credentials (HTTP 401): invalid x-api-key "
                + "[redacted]",
                "authentication_error", null, "upstream_auth_failed")).body("error.message", not(containsString(MockUpstream.ANTHROPIC_KEY)));

        upstreamFails(403, AnthropicFixtures.error("permission_error", "Your API key does not have permission"), null);
        fails(ASK, 403, error("Provider 'anthropic' refused the request (HTTP 403): Your API key does not have "
                + "permission", "permission_error", null, "upstream_permission_denied"));

        upstreamFails(402, AnthropicFixtures.error("billing_error", "Your credit balance is too low"), null);
        fails(ASK, 402, error("Provider 'anthropic' refused the request for billing reasons: Your credit balance is "
                + "too low", "insufficient_quota", null, "insufficient_quota"));

        upstreamFails(500, AnthropicFixtures.error("api_error", "Internal server error"), null);
        fails(ASK, 502, error("Provider 'anthropic' failed with HTTP 500: Internal server error (Anthropic request "
                + "id req_011CSHoEeqs5C35K2UUqR7Fy)", "upstream_error", null, "upstream_error"));
    }

    @Test
    void aStreamRefusedBeforeItsFirstByteKeepsItsStatusAndJson() {
        upstreamFails(429, AnthropicFixtures.error("rate_limit_error", "slow down"), "7");
        fails("{\"model\": \"anthropic/claude-sonnet-4-5\", \"stream\": true, "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}", 429, error("Provider 'anthropic' is rate limiting requests: slow down",
                        "rate_limit_error", null, "rate_limit_exceeded"))
                .header("Retry-After", "7")
                .contentType(startsWith("application/json"));
    }

    // ---- models and embeddings -----------------------------------------------------------------------------------

    @Test
    void theModelListIsAnthropicsOwnFollowedAcrossPages() {
        modelLists.invalidateAll().await().indefinitely();
        MockUpstream.on("GET", "/anthropic/v1/models", ctx -> {
            String after = ctx.request().getParam("after_id");
            MockUpstream.json(200, after == null
                    ? AnthropicFixtures.modelsPage(true, "claude-sonnet-4-20250514", "claude-opus-4-20250514")
                    : AnthropicFixtures.modelsPage(false, "claude-3-5-haiku-20241022")).handle(ctx);
        });
        List<String> ids = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models")
                .then().statusCode(200)
                .body("data.find { it.id == 'anthropic/claude-sonnet-4-20250514' }.created", equalTo(1739923200))
                .body("data.find { it.id == 'anthropic/claude-sonnet-4-20250514' }.owned_by", equalTo("anthropic"))
                .extract().jsonPath().getList("data.id", String.class);
        assertTrue(ids.containsAll(List.of("anthropic/claude-sonnet-4-20250514", "anthropic/claude-opus-4-20250514",
                "anthropic/claude-3-5-haiku-20241022")), ids.toString());
        MockUpstream.Received list = MockUpstream.received().stream()
                .filter(r -> r.path().equals("/anthropic/v1/models")).findFirst().orElseThrow();
        assertEquals(MockUpstream.ANTHROPIC_KEY, list.headers().get("x-api-key"));
        assertEquals("2023-06-01", list.headers().get("anthropic-version"));
        assertTrue(MockUpstream.received().stream().anyMatch(r -> r.uri().contains("after_id=claude-opus-4-20250514")));

        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models/claude-3-5-haiku-20241022")
                .then().statusCode(200).body("owned_by", equalTo("anthropic"));
        modelLists.invalidateAll().await().indefinitely();
    }

    @Test
    void embeddingsAreAClear400() {
        String refused = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"anthropic/claude-sonnet-4-5\", \"input\": \"hello\"}")
                .when().post("/v1/embeddings")
                .then().statusCode(400).extract().asString();
        assertError(error("Provider 'anthropic' does not offer embeddings: Anthropic's API has no embeddings "
                + "endpoint; use an embeddings model of another provider",
                "invalid_request_error", "model", "unsupported_operation"), refused);
        assertTrue(MockUpstream.received().isEmpty());
    }
}
