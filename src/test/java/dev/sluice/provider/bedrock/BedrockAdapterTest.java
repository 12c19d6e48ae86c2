package dev.sluice.provider.bedrock;

import dev.sluice.testing.EventStream;
import dev.sluice.testing.JsonAssert;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.testing.ErrorAssert.assertError;
import static dev.sluice.testing.ErrorAssert.error;
import static dev.sluice.testing.JsonAssert.assertJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Bedrock adapter against a mock Bedrock: the Converse request Sluice sends (field by field, signed with
 * SigV4 by AWS's signer and verified independently), Converse answers and ConverseStream event streams (real
 * binary frames) coming back as exactly the OpenAI objects and chunks expected, errors and the model list.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class BedrockAdapterTest {

    static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    static final String CONVERSE = "/bedrock/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";
    static final String CONVERSE_STREAM = "/bedrock/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream";
    /** 1×1 transparent PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    static final String ASK = """
            {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
             "messages": [{"role": "user", "content": "Hi"}]}
            """;
    static final String ASK_STREAM = """
            {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "stream": true,
             "stream_options": {"include_usage": true}, "messages": [{"role": "user", "content": "Hi"}]}
            """;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static Response chat(String body) {
        return given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body).when().post("/v1/chat/completions");
    }

    /** The request carries a SigV4 signature that an independent implementation reproduces. */
    static void assertSigned(MockUpstream.Received sent, String service) {
        SigV4Verifier.Authorization auth = SigV4Verifier.Authorization.parse(sent.headers().get("authorization"));
        assertEquals(MockUpstream.AWS_ACCESS_KEY_ID, auth.accessKeyId());
        assertEquals("us-east-1", auth.region());
        assertEquals(service, auth.service());
        assertTrue(auth.signedHeaders().containsAll(List.of("host", "x-amz-date", "x-amz-security-token",
                "x-amz-content-sha256")), auth.signedHeaders().toString());
        assertEquals(MockUpstream.AWS_SESSION_TOKEN, sent.headers().get("x-amz-security-token"));
        String uri = sent.uri();
        int q = uri.indexOf('?');
        assertEquals(SigV4Verifier.signature(MockUpstream.AWS_SECRET_ACCESS_KEY, sent.method(),
                q < 0 ? uri : uri.substring(0, q), q < 0 ? null : uri.substring(q + 1), sent.headers()::get,
                auth.signedHeaders(), sent.body().isEmpty() ? null : sent.body().getBytes(StandardCharsets.UTF_8),
                "us-east-1", service), auth.signature(), "the signature verifies");
        assertFalse(sent.headers().toString().contains(MockUpstream.AWS_SECRET_ACCESS_KEY), "the secret never travels");
    }

    @Test
    void everyFieldBedrockCanHonourIsTranslatedAndTheRequestIsSigned() {
        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, BedrockFixtures.TEXT));
        chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
                 "messages": [
                   {"role": "system", "content": "You are a helpful assistant."},
                   {"role": "developer", "content": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]},
                   {"role": "user", "content": [{"type": "text", "text": "What is in this image?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                     {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0xLjQ=", "filename": "Q3 report.pdf"}}]},
                   {"role": "assistant", "content": "Let me check.", "tool_calls": [{"id": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                     "type": "function", "function": {"name": "top_song", "arguments": "{\\"sign\\":\\"WZPZ\\"}"}}]},
                   {"role": "tool", "tool_call_id": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                    "content": "{\\"song\\":\\"Elemental Hotel\\",\\"artist\\":\\"8 Storey Hike\\"}"},
                   {"role": "user", "content": "Thanks"}],
                 "max_tokens": 512, "temperature": 0.5, "top_p": 0.9, "top_k": 50, "stop": ["END"],
                 "tools": [{"type": "function", "function": {"name": "top_song",
                   "description": "Get the most popular song played on a radio station.",
                   "parameters": {"type": "object", "properties": {"sign": {"type": "string"}}, "required": ["sign"]}}}],
                 "tool_choice": "required", "user": "user-42", "metadata": {"team": "search"},
                 "seed": 3, "presence_penalty": 0, "parallel_tool_calls": true}
                """).then().statusCode(200);

        MockUpstream.Received sent = MockUpstream.last(CONVERSE);
        assertEquals("POST", sent.method());
        assertEquals("application/json", sent.headers().get("content-type"));
        assertSigned(sent, "bedrock");
        assertJson("""
                {"messages": [
                   {"role": "user", "content": [{"text": "What is in this image?"},
                     {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
                     {"document": {"format": "pdf", "name": "Q3 report", "source": {"bytes": "JVBERi0xLjQ="}}}]},
                   {"role": "assistant", "content": [{"text": "Let me check."},
                     {"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "name": "top_song", "input": {"sign": "WZPZ"}}}]},
                   {"role": "user", "content": [
                     {"toolResult": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                                     "content": [{"json": {"song": "Elemental Hotel", "artist": "8 Storey Hike"}}]}},
                     {"text": "Thanks"}]}],
                 "system": [{"text": "You are a helpful assistant."}, {"text": "Be brief."}, {"cachePoint": {"type": "default"}}],
                 "inferenceConfig": {"maxTokens": 512, "temperature": 0.5, "topP": 0.9, "stopSequences": ["END"]},
                 "toolConfig": {"tools": [{"toolSpec": {"name": "top_song",
                     "description": "Get the most popular song played on a radio station.",
                     "inputSchema": {"json": {"type": "object", "properties": {"sign": {"type": "string"}}, "required": ["sign"]}}}}],
                   "toolChoice": {"any": {}}},
                 "additionalModelRequestFields": {"top_k": 50},
                 "requestMetadata": {"team": "search", "user": "user-42"}}
                """, sent.body());
    }

    @Test
    void reasoningEffortStructuredOutputAndPassThroughFields() {
        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, BedrockFixtures.TEXT));
        chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "reasoning_effort": "medium",
                 "messages": [{"role": "user", "content": "Think"}],
                 "guardrailConfig": {"guardrailIdentifier": "gr-1", "guardrailVersion": "1"}}
                """).then().statusCode(200);
        JsonObject sent = MockUpstream.last(CONVERSE).json();
        // Claude 3.5 Sonnet writes at most 8192 tokens, the cap Bedrock applies when none is sent: the medium
        // budget (8192) must stay below it, so it is halved
        assertJson("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 4096}}",
                sent.getJsonObject("additionalModelRequestFields").encode());
        assertJson("{\"guardrailIdentifier\": \"gr-1\", \"guardrailVersion\": \"1\"}",
                sent.getJsonObject("guardrailConfig").encode());

        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, """
                {"output": {"message": {"role": "assistant", "content": [
                   {"toolUse": {"toolUseId": "tooluse_j1", "name": "contact", "input": {"name": "John Smith"}}}]}},
                 "stopReason": "tool_use", "usage": {"inputTokens": 50, "outputTokens": 12, "totalTokens": 62}}
                """));
        Response structured = chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
                 "messages": [{"role": "user", "content": "Extract"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "contact",
                   "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
                """);
        assertEquals("{\"name\":\"John Smith\"}", structured.jsonPath().getString("choices[0].message.content"));
        assertEquals("stop", structured.jsonPath().getString("choices[0].finish_reason"));
        assertJson("""
                {"tools": [{"toolSpec": {"name": "contact", "description": "Give the final answer by calling this tool: its input is the answer, as JSON matching the schema.",
                   "inputSchema": {"json": {"type": "object", "properties": {"name": {"type": "string"}}}}}}],
                 "toolChoice": {"tool": {"name": "contact"}}}
                """, MockUpstream.last(CONVERSE).json().getJsonObject("toolConfig").encode());
    }

    /** A 400 {@code unsupported_parameter} naming the field, and nothing sent to Bedrock. */
    private static void unsupported(String request, String param, String why) {
        assertError(error("Provider 'bedrock' cannot honour '" + param + "': " + why, "invalid_request_error", param,
                "unsupported_parameter"), chat(request).then().statusCode(400).extract().asString());
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().startsWith("/bedrock/")),
                "nothing reaches Bedrock");
    }

    @Test
    void fieldsBedrockCannotHonourAreRefusedByName() {
        unsupported("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "n": 2,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "n", "Bedrock's Converse API returns a single choice per request");
        unsupported("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "logprobs": true,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "logprobs", "Bedrock's Converse API does not return token log probabilities");
        unsupported("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "frequency_penalty": 0.5,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "frequency_penalty", "Bedrock's Converse API has no frequency penalty");
        unsupported("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "web_search_options": {},
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "web_search_options", "Bedrock's Converse API has no web search tool");
        unsupported("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
                 "moderation": {"model": "omni-moderation-latest"}, "messages": [{"role": "user", "content": "Hi"}]}
                """, "moderation", "Bedrock has no moderation by a moderation model; use a guardrail (guardrailConfig)");
    }

    private static void assertCompletion(String expected, Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        String body = response.asString();
        assertTrue(JsonAssert.parse(body).path("id").asText().startsWith("chatcmpl-"));
        JsonAssert.assertJson(without(expected), without(body));
    }

    private static com.fasterxml.jackson.databind.JsonNode without(String json) {
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) JsonAssert.parse(json);
        node.remove("created");
        node.remove("id");
        return node;
    }

    @Test
    void theThinkingBudgetFitsUnderTheOutputCapAsForAnthropic() {
        String opus = "/bedrock/model/us.anthropic.claude-opus-4-1-20250805-v1%3A0/converse";
        String sonnet = "/bedrock/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse";
        MockUpstream.on("POST", opus, MockUpstream.json(200, BedrockFixtures.TEXT));
        MockUpstream.on("POST", sonnet, MockUpstream.json(200, BedrockFixtures.TEXT));
        String ask = """
                {"model": "bedrock/us.anthropic.%s", "reasoning_effort": "%s", %s
                 "messages": [{"role": "user", "content": "Prove it."}]}
                """;

        // no cap: Bedrock applies the model's output limit (Opus 4.1: 32000), the xhigh budget (32768) must stay below
        chat(ask.formatted("claude-opus-4-1-20250805-v1:0", "xhigh", "")).then().statusCode(200);
        JsonObject sent = MockUpstream.last(opus).json();
        assertJson("{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 16000}}",
                sent.getJsonObject("additionalModelRequestFields").encode());
        assertFalse(sent.containsKey("inferenceConfig"), "no cap is invented: " + sent);

        // Sonnet 4 writes up to 64000: the medium budget fits as it is
        chat(ask.formatted("claude-sonnet-4-20250514-v1:0", "medium", "")).then().statusCode(200);
        assertEquals(8192, MockUpstream.last(sonnet).json().getJsonObject("additionalModelRequestFields")
                .getJsonObject("thinking").getInteger("budget_tokens"));

        // the client's cap covers reasoning and answer: the budget gets at most half of it
        chat(ask.formatted("claude-sonnet-4-20250514-v1:0", "high", "\"max_completion_tokens\": 4000,"))
                .then().statusCode(200);
        sent = MockUpstream.last(sonnet).json();
        assertEquals(4000, sent.getJsonObject("inferenceConfig").getInteger("maxTokens"));
        assertEquals(2000, sent.getJsonObject("additionalModelRequestFields").getJsonObject("thinking")
                .getInteger("budget_tokens"));

        // a cap that leaves no room for Claude's smallest budget and an answer is refused
        MockUpstream.reset();
        unsupported(ask.formatted("claude-sonnet-4-20250514-v1:0", "low", "\"max_tokens\": 1000,"), "max_tokens",
                "with reasoning_effort it must be above 1024 (Claude's smallest thinking budget)");
    }

    @Test
    void safetyIdentifierAndServiceTierReachBedrock() {
        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, BedrockFixtures.TEXT));
        String ask = """
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "service_tier": "%s",
                 "safety_identifier": "sha256-7f3a", "messages": [{"role": "user", "content": "Hi"}]}
                """;
        chat(ask.formatted("priority")).then().statusCode(200);
        JsonObject sent = MockUpstream.last(CONVERSE).json();
        assertJson("{\"safety_identifier\": \"sha256-7f3a\"}", sent.getJsonObject("requestMetadata").encode());
        assertJson("{\"type\": \"priority\"}", sent.getJsonObject("serviceTier").encode());

        chat(ask.formatted("scale")).then().statusCode(200);
        assertJson("{\"type\": \"reserved\"}", MockUpstream.last(CONVERSE).json().getJsonObject("serviceTier").encode());

        chat(ask.formatted("auto")).then().statusCode(200);
        assertFalse(MockUpstream.last(CONVERSE).json().containsKey("serviceTier"), "auto leaves the tier to Bedrock");
    }

    @Test
    void anHttpImageIsFetchedUnderTheAddressGuardAndSentAsBytes() {
        byte[] png = java.util.Base64.getDecoder().decode(PNG);
        MockUpstream.on("GET", "/img/cat.png", ctx -> ctx.response().putHeader("content-type", "image/png")
                .end(io.vertx.core.buffer.Buffer.buffer(png)));
        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, BedrockFixtures.TEXT));
        chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "What is this?"},
                  {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """.formatted(MockUpstream.pageUrl("/img/cat.png"))).then().statusCode(200);
        assertJson("""
                [{"role": "user", "content": [{"text": "What is this?"},
                   {"image": {"format": "png", "source": {"bytes": "%s"}}}]}]
                """.formatted(PNG), MockUpstream.last(CONVERSE).json().getJsonArray("messages").encode());
        assertSigned(MockUpstream.last(CONVERSE), "bedrock");
    }

    @Test
    void anImageOnAPrivateAddressIsRefusedAndNeverFetched() {
        MockUpstream.on("GET", "/img/secret.png", ctx -> ctx.response().putHeader("content-type", "image/png").end("x"));
        String refused = chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "%s"}}]}]}
                """.formatted(MockUpstream.url("/img/secret.png"))).then().statusCode(400).extract().asString();
        assertError(error("Invalid 'messages[0].content[0].image_url.url': the image could not be fetched for "
                + "provider 'bedrock': URL not allowed: the host resolves to loopback",
                "invalid_request_error", "messages[0].content[0].image_url.url", "image_url_not_allowed"), refused);
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().equals("/img/secret.png")),
                "the guard refused the address before any connection");
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().startsWith("/bedrock/")));
    }

    @Test
    void aGeneratedImageBlockComesBackInMessageImages() {
        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, """
                {"output": {"message": {"role": "assistant", "content": [
                   {"text": "Here is the sketch."},
                   {"image": {"format": "png", "source": {"bytes": "%s"}}}]}},
                 "stopReason": "end_turn", "usage": {"inputTokens": 20, "outputTokens": 300, "totalTokens": 320}}
                """.formatted(PNG)));
        assertCompletion("""
                {"object": "chat.completion", "model": "anthropic.claude-3-5-sonnet-20240620-v1:0",
                 "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null,
                   "content": "Here is the sketch.",
                   "images": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"}}]},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 20, "completion_tokens": 300, "total_tokens": 320,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """.formatted(PNG), chat(ASK));
    }


    @Test
    void converseAnswers() {
        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, BedrockFixtures.TEXT));
        assertCompletion("""
                {"object": "chat.completion", "model": "anthropic.claude-3-5-sonnet-20240620-v1:0",
                 "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null,
                   "content": "The song \\"Elemental Hotel\\" by \\"8 Storey Hike\\" is the most popular on WZPZ."},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 30, "completion_tokens": 628, "total_tokens": 658,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, chat(ASK));

        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, BedrockFixtures.TOOL_USE));
        assertCompletion("""
                {"object": "chat.completion", "model": "anthropic.claude-3-5-sonnet-20240620-v1:0",
                 "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null,
                   "content": "I'll look up the most popular song on WZPZ.",
                   "tool_calls": [{"id": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "type": "function",
                     "function": {"name": "top_song", "arguments": "{\\"sign\\":\\"WZPZ\\"}"}}]},
                   "logprobs": null, "finish_reason": "tool_calls"}],
                 "usage": {"prompt_tokens": 375, "completion_tokens": 58, "total_tokens": 433,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """, chat(ASK));

        MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, BedrockFixtures.REASONING));
        assertCompletion("""
                {"object": "chat.completion", "model": "anthropic.claude-3-5-sonnet-20240620-v1:0",
                 "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null,
                   "content": "The best-selling song of 2023 was \\"Flowers\\" by Miley Cyrus.",
                   "reasoning_content": "The user asks for the best-selling song; 2023 charts...",
                   "thinking_blocks": [{"type": "thinking", "thinking": "The user asks for the best-selling song; 2023 charts...",
                                        "signature": "ErcBCkgIAhABGAIiQMuHe1Jv5jE"}]},
                   "logprobs": null, "finish_reason": "length"}],
                 "usage": {"prompt_tokens": 3112, "completion_tokens": 400, "total_tokens": 3512,
                           "prompt_tokens_details": {"cached_tokens": 3000, "cache_creation_tokens": 100}}}
                """, chat(ASK));
    }

    @Test
    void stopReasons() {
        for (String[] c : new String[][]{{"end_turn", "stop"}, {"stop_sequence", "stop"}, {"max_tokens", "length"},
                {"model_context_window_exceeded", "length"}, {"guardrail_intervened", "content_filter"},
                {"content_filtered", "content_filter"}}) {
            MockUpstream.on("POST", CONVERSE, MockUpstream.json(200, "{\"output\":{\"message\":{\"role\":\"assistant\","
                    + "\"content\":[{\"text\":\"x\"}]}},\"stopReason\":\"" + c[0] + "\",\"usage\":{\"inputTokens\":1,"
                    + "\"outputTokens\":1,\"totalTokens\":2}}"));
            assertEquals(c[1], chat(ASK).jsonPath().getString("choices[0].finish_reason"), c[0]);
        }
    }

    @Test
    void errorsMapToOpenAiStatusesAndTypes() {
        upstreamError(400, "ValidationException", "The model returned the following errors: Input is too long for requested model.", 400, error("The model returned the following errors: Input is too long for requested model.",
                "invalid_request_error", null, "context_length_exceeded"));
        upstreamError(400, "ValidationException", "Malformed input request", 400, error("Malformed input request",
                "invalid_request_error", null, "invalid_request"));
        upstreamError(429, "ThrottlingException", "Too many requests, please wait before trying again.", 429, error("Provider 'bedrock' is rate limiting requests (ThrottlingException): Too many "
                + "requests, please wait before trying again.", "rate_limit_error", null, "rate_limit_exceeded"));
        upstreamError(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.", 403, error("Provider 'bedrock' refused the request (AccessDeniedException): You don't have access "
                + "to the model with the specified model ID.", "permission_error", null, "upstream_permission_denied"));
        upstreamError(403, "UnrecognizedClientException", "The security token included in the request is invalid.", 401, error("Provider 'bedrock' refused Sluice's AWS credentials (UnrecognizedClientException): "
                + "The security token included in the request is invalid.",
                "authentication_error", null, "upstream_auth_failed"));
        upstreamError(404, "ResourceNotFoundException", "Could not resolve the foundation model.", 404, error("Could not resolve the foundation model.",
                "invalid_request_error", "model", "model_not_found"));
        upstreamError(429, "ModelNotReadyException", "Model is not ready to serve inference requests.", 503, error("Provider 'bedrock' is not ready (ModelNotReadyException): Model is not ready to serve "
                + "inference requests. (AWS request id 5d8f3a2e-0000-4b1c-9d3e-1f2a3b4c5d6e)",
                "upstream_error", null, "upstream_unavailable"));
        upstreamError(503, "ServiceUnavailableException", "Service is unavailable.", 503, error("Provider 'bedrock' is not ready (ServiceUnavailableException): Service is "
                + "unavailable. (AWS request id 5d8f3a2e-0000-4b1c-9d3e-1f2a3b4c5d6e)",
                "upstream_error", null, "upstream_unavailable"));
        upstreamError(408, "ModelTimeoutException", "Model timed out.", 504, error("Provider 'bedrock' timed out (ModelTimeoutException): Model timed out. (AWS request "
                + "id 5d8f3a2e-0000-4b1c-9d3e-1f2a3b4c5d6e)", "server_error", null, "upstream_timeout"));
        upstreamError(500, "InternalServerException", "Internal failure.", 502, error("Provider 'bedrock' failed (InternalServerException): Internal failure. (AWS request "
                + "id 5d8f3a2e-0000-4b1c-9d3e-1f2a3b4c5d6e)", "upstream_error", null, "upstream_error"));

        MockUpstream.on("POST", CONVERSE, ctx -> ctx.response().setStatusCode(429).putHeader("retry-after", "3")
                .putHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .putHeader("content-type", "application/json").end(BedrockFixtures.error("slow down")));
        assertEquals("3", chat(ASK).header("Retry-After"));
    }

    /** Bedrock fails with this exception; the client gets this status and exactly this error object. */
    private static void upstreamError(int upstreamStatus, String type, String message, int status, String error) {
        MockUpstream.on("POST", CONVERSE, ctx -> ctx.response().setStatusCode(upstreamStatus)
                .putHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .putHeader("x-amzn-RequestId", "5d8f3a2e-0000-4b1c-9d3e-1f2a3b4c5d6e")
                .putHeader("content-type", "application/json").end(BedrockFixtures.error(message)));
        assertError(error, chat(ASK).then().statusCode(status).extract().asString());
    }

    // ---- streams ---------------------------------------------------------------------------------------------

    private static Sse.Result stream(io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> upstream, String request)
            throws Exception {
        MockUpstream.on("POST", CONVERSE_STREAM, upstream);
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", request).build());
        assertEquals(200, result.status());
        return result;
    }

    private static void assertChunks(Sse.Result result, String expectedLines) {
        assertTrue(result.events().get(result.events().size() - 1).done(), "the stream ends with [DONE]");
        List<JsonObject> chunks = result.chunks();
        String id = chunks.get(0).getString("id");
        assertEquals("chatcmpl-d2c5a7a4-1f7e-4c5b-9b55-6e0e7f1c2a10", id, "the id is Bedrock's request id");
        long created = chunks.get(0).getLong("created");
        List<String> expected = expectedLines.lines().filter(l -> !l.isBlank()).toList();
        List<String> actual = new ArrayList<>();
        chunks.forEach(c -> actual.add(c.encode()));
        assertEquals(expected.size(), actual.size(), "chunk count differs: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            JsonObject e = new JsonObject(expected.get(i));
            e.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", MODEL);
            assertJson(e.encode(), actual.get(i));
        }
    }

    @Test
    void converseStreamText() throws Exception {
        Sse.Result result = stream(EventStream.reply(Duration.ofMillis(1), BedrockFixtures.textStream()), ASK_STREAM);
        assertChunks(result, """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "Hello"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "! How can"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": " I help?"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 16, "completion_tokens": 9, "total_tokens": 25, "prompt_tokens_details": {"cached_tokens": 4}}}
                """);
        MockUpstream.Received sent = MockUpstream.last(CONVERSE_STREAM);
        assertEquals("application/vnd.amazon.eventstream", sent.headers().get("accept"));
        assertSigned(sent, "bedrock");
    }

    @Test
    void converseStreamToolUseArgumentsArriveAsTheyCome() throws Exception {
        Sse.Result result = stream(EventStream.reply(Duration.ofMillis(1), BedrockFixtures.toolStream()), ASK_STREAM);
        assertChunks(result, """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "Looking it up."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "tooluse_3f7Qq2cWRbCnHjQyCCpq8A", "type": "function", "function": {"name": "top_song", "arguments": ""}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{\\"si"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "gn\\": \\"WZ"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "PZ\\"}"}}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "tool_calls"}]}
                {"choices": [], "usage": {"prompt_tokens": 375, "completion_tokens": 58, "total_tokens": 433, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
    }

    @Test
    void converseStreamReasoningWithItsSignature() throws Exception {
        Sse.Result result = stream(EventStream.reply(Duration.ZERO, BedrockFixtures.reasoningStream()), ASK_STREAM);
        assertChunks(result, """
                {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"reasoning_content": "Let me think"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"reasoning_content": " about 2+2."}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"thinking_blocks": [{"type": "thinking", "thinking": "Let me think about 2+2.", "signature": "EqoBCkgIARABGAIiQ"}]}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {"content": "4"}, "logprobs": null, "finish_reason": null}]}
                {"choices": [{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]}
                {"choices": [], "usage": {"prompt_tokens": 20, "completion_tokens": 30, "total_tokens": 50, "prompt_tokens_details": {"cached_tokens": 0}}}
                """);
    }

    @Test
    void framesSplitAcrossNetworkWritesAreReassembled() throws Exception {
        Sse.Result result = stream(EventStream.replySplit(BedrockFixtures.toolStream(), 7), ASK_STREAM);
        StringBuilder arguments = new StringBuilder();
        for (JsonObject c : result.chunks()) {
            var choices = c.getJsonArray("choices");
            if (!choices.isEmpty() && choices.getJsonObject(0).getJsonObject("delta").containsKey("tool_calls")) {
                arguments.append(choices.getJsonObject(0).getJsonObject("delta").getJsonArray("tool_calls")
                        .getJsonObject(0).getJsonObject("function").getString("arguments"));
            }
        }
        assertEquals("{\"sign\": \"WZPZ\"}", arguments.toString());
        assertEquals(433, result.chunks().get(result.chunks().size() - 1).getJsonObject("usage").getInteger("total_tokens"));
    }

    @Test
    void anExceptionFrameBecomesAnErrorEvent() throws Exception {
        Sse.Result result = stream(EventStream.reply(Duration.ZERO, BedrockFixtures.throttledStream()), ASK_STREAM);
        List<Sse.Event> events = result.events();
        assertFalse(events.get(events.size() - 1).done());
        assertError(error("Provider 'bedrock' is rate limiting requests (ThrottlingException): Too many tokens, "
                + "please wait before trying again.",
                "rate_limit_error", null, "rate_limit_exceeded"), events.get(events.size() - 1).data());
    }

    @Test
    void aCutOrCorruptStreamFails() throws Exception {
        List<byte[]> cut = BedrockFixtures.textStream().subList(0, 3);
        Sse.Result result = stream(EventStream.reply(Duration.ZERO, cut), ASK_STREAM);
        assertError(error("Provider 'bedrock' sent a response Sluice could not read: the stream ended before "
                + "messageStop",
                "upstream_error", null, "upstream_bad_response"), result.events().get(result.events().size() - 1).data());

        List<byte[]> corrupt = new ArrayList<>(BedrockFixtures.textStream());
        byte[] frame = corrupt.get(1).clone();
        frame[frame.length - 6] ^= 0x20; // one flipped bit in the payload: the message CRC no longer matches
        corrupt.set(1, frame);
        Sse.Result broken = stream(EventStream.reply(Duration.ZERO, corrupt), ASK_STREAM);
        assertError(error("Provider 'bedrock' sent a response Sluice could not read: a corrupt event-stream "
                + "frame (Message checksum failure: expected 0xe19dc8b1, computed 0x7419ec13)",
                "upstream_error", null, "upstream_bad_response"), broken.events().get(broken.events().size() - 1).data());
    }

    @Test
    void theModelListJoinsFoundationModelsAndInferenceProfilesSigned() {
        given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).get("/v1/models").then()
                .statusCode(200)
                .body("data.id", hasItems("bedrock/anthropic.claude-3-haiku-20240307-v1:0",
                        "bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0"));
    }

    @Test
    void embeddingsAreRefusedClearly() {
        String refused = given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"bedrock/amazon.titan-embed-text-v2:0\", \"input\": \"hi\"}")
                .post("/v1/embeddings").then().statusCode(400).extract().asString();
        assertError(error("Provider 'bedrock' does not offer embeddings: Bedrock's Converse API has no "
                + "embeddings; use an embeddings model of another provider",
                "invalid_request_error", "model", "unsupported_operation"), refused);
    }
}
