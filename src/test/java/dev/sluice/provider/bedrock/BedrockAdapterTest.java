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

    @Test
    void fieldsBedrockCannotHonourAreRefusedByName() {
        chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "n": 2,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """).then().statusCode(400).body("error.param", equalTo("n"))
                .body("error.code", equalTo("unsupported_parameter"));
        chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "logprobs": true,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """).then().statusCode(400).body("error.param", equalTo("logprobs"));
        chat("""
                {"model": "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "frequency_penalty": 0.5,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """).then().statusCode(400).body("error.param", equalTo("frequency_penalty"));
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
        assertError(400, "ValidationException", "The model returned the following errors: Input is too long for requested model.",
                400, "invalid_request_error", "context_length_exceeded");
        assertError(400, "ValidationException", "Malformed input request", 400, "invalid_request_error", "invalid_request");
        assertError(429, "ThrottlingException", "Too many requests, please wait before trying again.", 429,
                "rate_limit_error", "rate_limit_exceeded");
        assertError(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.",
                403, "permission_error", "upstream_permission_denied");
        assertError(403, "UnrecognizedClientException", "The security token included in the request is invalid.", 401,
                "authentication_error", "upstream_auth_failed");
        assertError(404, "ResourceNotFoundException", "Could not resolve the foundation model.", 404,
                "invalid_request_error", "model_not_found");
        assertError(429, "ModelNotReadyException", "Model is not ready to serve inference requests.", 503,
                "upstream_error", "upstream_unavailable");
        assertError(503, "ServiceUnavailableException", "Service is unavailable.", 503, "upstream_error",
                "upstream_unavailable");
        assertError(408, "ModelTimeoutException", "Model timed out.", 504, "server_error", "upstream_timeout");
        assertError(500, "InternalServerException", "Internal failure.", 502, "upstream_error", "upstream_error");

        MockUpstream.on("POST", CONVERSE, ctx -> ctx.response().setStatusCode(429).putHeader("retry-after", "3")
                .putHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .putHeader("content-type", "application/json").end(BedrockFixtures.error("slow down")));
        assertEquals("3", chat(ASK).header("Retry-After"));
    }

    private static void assertError(int upstreamStatus, String type, String message, int status, String errorType,
                                    String code) {
        MockUpstream.on("POST", CONVERSE, ctx -> ctx.response().setStatusCode(upstreamStatus)
                .putHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .putHeader("x-amzn-RequestId", "5d8f3a2e-0000-4b1c-9d3e-1f2a3b4c5d6e")
                .putHeader("content-type", "application/json").end(BedrockFixtures.error(message)));
        chat(ASK).then().statusCode(status).body("error.type", equalTo(errorType)).body("error.code", equalTo(code));
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
        JsonObject error = events.get(events.size() - 1).json().getJsonObject("error");
        assertEquals("rate_limit_error", error.getString("type"));
        assertTrue(error.getString("message").contains("Too many tokens"));
        assertFalse(events.get(events.size() - 1).done());
    }

    @Test
    void aCutOrCorruptStreamFails() throws Exception {
        List<byte[]> cut = BedrockFixtures.textStream().subList(0, 3);
        Sse.Result result = stream(EventStream.reply(Duration.ZERO, cut), ASK_STREAM);
        assertEquals("upstream_bad_response", result.events().get(result.events().size() - 1).json()
                .getJsonObject("error").getString("code"));

        List<byte[]> corrupt = new ArrayList<>(BedrockFixtures.textStream());
        byte[] frame = corrupt.get(1).clone();
        frame[frame.length - 6] ^= 0x20; // one flipped bit in the payload: the message CRC no longer matches
        corrupt.set(1, frame);
        Sse.Result broken = stream(EventStream.reply(Duration.ZERO, corrupt), ASK_STREAM);
        JsonObject error = broken.events().get(broken.events().size() - 1).json().getJsonObject("error");
        assertEquals("upstream_bad_response", error.getString("code"));
        assertTrue(error.getString("message").contains("event-stream"), error.getString("message"));
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
        given().header("Authorization", "Bearer " + MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"bedrock/amazon.titan-embed-text-v2:0\", \"input\": \"hi\"}")
                .post("/v1/embeddings").then().statusCode(400).body("error.code", equalTo("unsupported_operation"));
    }
}
