package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.parse;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Anthropic receives for an OpenAI request: every translated field asserted against the request Anthropic's
 * API reference documents for the same intent, headers included; and the fields Anthropic cannot honour refused
 * with a 400 naming them before anything is sent.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class AnthropicRequestTest {

    static final String MESSAGES = "/anthropic/v1/messages";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static JsonNode sent(String openAiRequest) {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(openAiRequest)
                .when().post("/v1/chat/completions")
                .then().statusCode(200);
        return parse(MockUpstream.last(MESSAGES).body());
    }

    /** A 400 before anything is sent, with exactly this OpenAI error (message, param and code). */
    private static void refused(String openAiRequest, String message, String param, String code) {
        String body = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(openAiRequest)
                .when().post("/v1/chat/completions")
                .then().statusCode(400).extract().asString();
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", param)
                .put("code", code);
        assertJson(error, parse(body));
        assertTrue(MockUpstream.received().isEmpty(), "nothing may reach Anthropic: " + MockUpstream.received());
    }

    /** A 400 {@code unsupported_parameter} naming the field, before anything is sent. */
    private static void unsupported(String openAiRequest, String param, String why) {
        refused(openAiRequest, "Provider 'anthropic' cannot honour '" + param + "': " + why, param,
                "unsupported_parameter");
    }

    @Test
    void theApiReferenceExampleWithItsHeaders() {
        JsonNode body = sent("""
                {"model": "claude-sonnet-4-20250514", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "Hello, world"}]}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-20250514", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "Hello, world"}]}
                """, body.toString());
        MockUpstream.Received received = MockUpstream.last(MESSAGES);
        assertEquals("POST", received.method());
        assertEquals(MockUpstream.ANTHROPIC_KEY, received.headers().get("x-api-key"));
        assertEquals("2023-06-01", received.headers().get("anthropic-version"));
        assertEquals("application/json", received.headers().get("content-type"));
        assertEquals("application/json", received.headers().get("accept"));
        assertNull(received.headers().get("authorization"), "the key travels in x-api-key only");
        assertFalse(received.headers().get("x-request-id").isBlank());
    }

    @Test
    void everyTranslatableFieldReachesAnthropic() {
        JsonNode body = sent("""
                {"model": "anthropic/claude-sonnet-4-5",
                 "messages": [
                   {"role": "system", "content": "You are a weather bot."},
                   {"role": "developer", "content": [{"type": "text", "text": "Answer in Celsius.",
                                                      "cache_control": {"type": "ephemeral"}}]},
                   {"role": "user", "content": "Weather in Paris?", "name": "ann"},
                   {"role": "user", "content": [{"type": "text", "text": "And in Lyon?"}]}],
                 "max_completion_tokens": 300, "stop": "END", "temperature": 0.2, "top_p": 0.9, "top_k": 40,
                 "user": "user-42", "presence_penalty": 0.5, "frequency_penalty": 0.1, "seed": 7,
                 "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
                            "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                           "required": ["city"]}}}],
                 "tool_choice": "required", "parallel_tool_calls": false}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 300,
                 "system": [{"type": "text", "text": "You are a weather bot."},
                            {"type": "text", "text": "Answer in Celsius.", "cache_control": {"type": "ephemeral"}}],
                 "messages": [{"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"},
                                                           {"type": "text", "text": "And in Lyon?"}]}],
                 "stop_sequences": ["END"], "temperature": 0.2, "top_p": 0.9, "top_k": 40,
                 "metadata": {"user_id": "user-42"},
                 "tools": [{"name": "get_weather", "description": "Current weather",
                            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                                             "required": ["city"]}}],
                 "tool_choice": {"type": "any", "disable_parallel_tool_use": true}}
                """, body.toString());
    }

    @Test
    void toolCallsBecomeToolUseAndConsecutiveToolResultsShareOneUserTurn() {
        JsonNode body = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 500,
                 "messages": [
                   {"role": "user", "content": "Weather in Paris and Lyon?"},
                   {"role": "assistant", "content": "", "tool_calls": [
                     {"id": "toolu_01A", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                     {"id": "toolu_01B", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Lyon\\"}"}}]},
                   {"role": "tool", "tool_call_id": "toolu_01A", "content": "15 degrees"},
                   {"role": "tool", "tool_call_id": "toolu_01B", "content": [{"type": "text", "text": "18 degrees"}]},
                   {"role": "user", "content": "Which is warmer?"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather",
                            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                 "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 500,
                 "messages": [
                   {"role": "user", "content": "Weather in Paris and Lyon?"},
                   {"role": "assistant", "content": [
                     {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}},
                     {"type": "tool_use", "id": "toolu_01B", "name": "get_weather", "input": {"city": "Lyon"}}]},
                   {"role": "user", "content": [
                     {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "15 degrees"},
                     {"type": "tool_result", "tool_use_id": "toolu_01B", "content": [{"type": "text", "text": "18 degrees"}]},
                     {"type": "text", "text": "Which is warmer?"}]}],
                 "tools": [{"name": "get_weather",
                            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
                 "tool_choice": {"type": "tool", "name": "get_weather"}}
                """, body.toString());
    }

    @Test
    void imagesDocumentsAndCacheControlFollowTheVisionAndCachingGuides() {
        JsonNode body = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 1024,
                 "messages": [
                   {"role": "user", "content": "Here is a long reference text.", "cache_control": {"type": "ephemeral"}},
                   {"role": "assistant", "content": "Noted."},
                   {"role": "user", "content": [
                     {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQSkZJRg=="}},
                     {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg",
                                                         "detail": "high"},
                      "cache_control": {"type": "ephemeral"}},
                     {"type": "file", "file": {"filename": "report.pdf", "file_data": "data:application/pdf;base64,JVBERi0xLjQK"}},
                     {"type": "text", "text": "Describe these."}]}]}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 1024,
                 "messages": [
                   {"role": "user", "content": [{"type": "text", "text": "Here is a long reference text.",
                                                 "cache_control": {"type": "ephemeral"}}]},
                   {"role": "assistant", "content": "Noted."},
                   {"role": "user", "content": [
                     {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQSkZJRg=="}},
                     {"type": "image", "source": {"type": "url",
                        "url": "https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"},
                      "cache_control": {"type": "ephemeral"}},
                     {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0xLjQK"},
                      "title": "report.pdf"},
                     {"type": "text", "text": "Describe these."}]}]}
                """, body.toString());
    }

    static final String CONTACT_SCHEMA = """
            {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
             "required": ["name", "email"], "additionalProperties": false}
            """;

    @Test
    void jsonSchemaUsesNativeStructuredOutputs() {
        JsonNode body = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "Extract the contact: John Smith, john@example.com"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "contact", "strict": true,
                                     "schema": %s}}}
                """.formatted(CONTACT_SCHEMA));
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "Extract the contact: John Smith, john@example.com"}],
                 "output_config": {"format": {"type": "json_schema", "schema": %s}}}
                """.formatted(CONTACT_SCHEMA), body.toString());
    }

    @Test
    void jsonSchemaOnAModelWithoutStructuredOutputsAndJsonObjectUseAForcedTool() {
        JsonNode older = sent("""
                {"model": "anthropic/claude-3-5-haiku-20241022", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "Extract the contact: John Smith, john@example.com"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "contact", "schema": %s}}}
                """.formatted(CONTACT_SCHEMA));
        assertJson("""
                {"model": "claude-3-5-haiku-20241022", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "Extract the contact: John Smith, john@example.com"}],
                 "tools": [{"name": "contact", "description": "%s", "input_schema": %s}],
                 "tool_choice": {"type": "tool", "name": "contact"}}
                """.formatted(AnthropicRequestMapper.JSON_TOOL_DESCRIPTION, CONTACT_SCHEMA), older.toString());

        JsonNode anyObject = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 200,
                 "messages": [{"role": "user", "content": "Give me a JSON object about Paris"}],
                 "response_format": {"type": "json_object"}}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 200,
                 "messages": [{"role": "user", "content": "Give me a JSON object about Paris"}],
                 "tools": [{"name": "json_answer", "description": "%s", "input_schema": {"type": "object"}}],
                 "tool_choice": {"type": "tool", "name": "json_answer"}}
                """.formatted(AnthropicRequestMapper.JSON_TOOL_DESCRIPTION), anyObject.toString());

        MockUpstream.reset();
        unsupported("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hi"}],
                 "response_format": {"type": "json_object"},
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]}
                """, "response_format", "on model 'claude-sonnet-4-5' Sluice obtains json_object output through a "
                + "forced tool call, which cannot be combined with the request's own tools or web search");
    }

    @Test
    void reasoningEffortBecomesExtendedThinkingWithinTheTokenCap() {
        JsonNode uncapped = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "reasoning_effort": "medium",
                 "messages": [{"role": "user", "content": "What is the GCD of 1071 and 462?"}]}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 24576,
                 "thinking": {"type": "enabled", "budget_tokens": 8192},
                 "messages": [{"role": "user", "content": "What is the GCD of 1071 and 462?"}]}
                """, uncapped.toString());

        JsonNode capped = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "reasoning_effort": "high", "max_completion_tokens": 4000,
                 "messages": [{"role": "user", "content": "What is the GCD of 1071 and 462?"}]}
                """);
        assertEquals(4000, capped.get("max_tokens").asInt());
        assertJson("{\"type\": \"enabled\", \"budget_tokens\": 2000}", capped.get("thinking").toString());

        // Opus 4.1 writes at most 32000 tokens: the derived cap stays within it, the budget within the cap
        JsonNode opus = sent("""
                {"model": "anthropic/claude-opus-4-1-20250805", "reasoning_effort": "xhigh",
                 "messages": [{"role": "user", "content": "Prove it."}]}
                """);
        assertEquals(32000, opus.get("max_tokens").asInt());
        assertJson("{\"type\": \"enabled\", \"budget_tokens\": 16000}", opus.get("thinking").toString());
        JsonNode opusHigh = sent("""
                {"model": "anthropic/claude-opus-4-1-20250805", "reasoning_effort": "high",
                 "messages": [{"role": "user", "content": "Prove it."}]}
                """);
        assertEquals(32000, opusHigh.get("max_tokens").asInt());
        assertEquals(16384, opusHigh.at("/thinking/budget_tokens").asInt());

        MockUpstream.reset();
        unsupported("""
                {"model": "anthropic/claude-sonnet-4-5", "reasoning_effort": "low", "max_tokens": 1000,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "max_tokens", "with reasoning_effort it must be above 1024 (Claude's smallest thinking budget)");
    }

    @Test
    void signedThinkingBlocksGoBackAndAToolTurnWithoutThemRunsWithoutThinking() {
        String turns = """
                [{"role": "user", "content": "Weather in Paris?"},
                 {"role": "assistant", "content": null, %s
                  "tool_calls": [{"id": "toolu_01A", "type": "function",
                                  "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                 {"role": "tool", "tool_call_id": "toolu_01A", "content": "15 degrees"}]
                """;
        String tools = "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}]";
        JsonNode signed = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "reasoning_effort": "low", "tools": %s, "messages": %s}
                """.formatted(tools, turns.formatted("""
                "reasoning_content": "The user wants Paris.",
                "thinking_blocks": [{"type": "thinking", "thinking": "The user wants Paris.", "signature": "EqQBCgIYAh"}],
                """)));
        assertJson("""
                [{"type": "thinking", "thinking": "The user wants Paris.", "signature": "EqQBCgIYAh"},
                 {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}}]
                """, signed.path("messages").get(1).get("content").toString());
        assertJson("{\"type\": \"enabled\", \"budget_tokens\": 2048}", signed.get("thinking").toString());
        assertJson("{\"type\": \"object\", \"properties\": {}}", signed.at("/tools/0/input_schema").toString());

        JsonNode unsigned = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "reasoning_effort": "low", "tools": %s, "messages": %s}
                """.formatted(tools, turns.formatted("\"reasoning_content\": \"The user wants Paris.\",")));
        assertFalse(unsigned.has("thinking"), "Anthropic refuses thinking when the tool turn lacks its signed block");
        assertEquals(16384, unsigned.get("max_tokens").asInt());
        assertJson("""
                [{"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}}]
                """, unsigned.path("messages").get(1).get("content").toString());
    }

    @Test
    void maxTokensIsAlwaysSentWithTheModelsDefault() {
        String ask = "{\"model\": \"anthropic/%s\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
        assertEquals(8192, sent(ask.formatted("claude-3-5-haiku-20241022")).get("max_tokens").asInt());
        assertEquals(4096, sent(ask.formatted("claude-3-haiku-20240307")).get("max_tokens").asInt());
        assertEquals(16384, sent(ask.formatted("claude-opus-4-1-20250805")).get("max_tokens").asInt());
        assertEquals(1200, sent("""
                {"model": "anthropic/claude-opus-4-1-20250805", "max_tokens": 1200,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """).get("max_tokens").asInt());
    }

    @Test
    void aStreamingRequestAsksAnthropicToStream() throws Exception {
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", """
                {"model": "anthropic/claude-sonnet-4-5", "stream": true,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """).build());
        assertEquals(200, result.status());
        MockUpstream.Received received = MockUpstream.last(MESSAGES);
        assertTrue(received.json().getBoolean("stream"));
        assertEquals("text/event-stream", received.headers().get("accept"));
        assertFalse(received.json().containsKey("stream_options"), "an OpenAI-only field is not sent to Anthropic");
    }

    @Test
    void webSearchOptionsBecomeTheWebSearchServerToolAndSafetyIdentifierTheUserId() {
        JsonNode body = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "What's new in San Francisco?"}],
                 "user": "user-42", "safety_identifier": "sha256-7f3a",
                 "tools": [{"type": "function", "function": {"name": "get_weather"}}],
                 "web_search_options": {"search_context_size": "medium", "user_location": {"type": "approximate",
                   "approximate": {"city": "San Francisco", "region": "California", "country": "US",
                                   "timezone": "America/Los_Angeles"}}}}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 1024,
                 "messages": [{"role": "user", "content": "What's new in San Francisco?"}],
                 "metadata": {"user_id": "sha256-7f3a"},
                 "tools": [{"name": "get_weather", "input_schema": {"type": "object", "properties": {}}},
                           {"type": "web_search_20250305", "name": "web_search",
                            "user_location": {"type": "approximate", "city": "San Francisco", "region": "California",
                                              "country": "US", "timezone": "America/Los_Angeles"}}]}
                """, body.toString());
    }

    @Test
    void functionMessagesAnswerTheCallsOfTheDeprecatedFunctionsApiAndAllowedToolsNarrowTheTools() {
        JsonNode legacy = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 500,
                 "functions": [{"name": "get_weather", "parameters": {"type": "object",
                                "properties": {"city": {"type": "string"}}}}],
                 "function_call": "auto",
                 "messages": [{"role": "user", "content": "Weather in Paris?"},
                   {"role": "assistant", "content": null,
                    "function_call": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}},
                   {"role": "function", "name": "get_weather", "content": "15 degrees"}]}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5", "max_tokens": 500,
                 "messages": [{"role": "user", "content": "Weather in Paris?"},
                   {"role": "assistant", "content": [
                     {"type": "tool_use", "id": "call_fn_1", "name": "get_weather", "input": {"city": "Paris"}}]},
                   {"role": "user", "content": [
                     {"type": "tool_result", "tool_use_id": "call_fn_1", "content": "15 degrees"}]}],
                 "tools": [{"name": "get_weather", "input_schema": {"type": "object",
                            "properties": {"city": {"type": "string"}}}}],
                 "tool_choice": {"type": "auto", "disable_parallel_tool_use": true}}
                """, legacy.toString());

        JsonNode allowed = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 500,
                 "messages": [{"role": "user", "content": "Weather in Paris?"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather"}},
                           {"type": "function", "function": {"name": "get_time"}}],
                 "tool_choice": {"type": "allowed_tools", "allowed_tools": {"mode": "required",
                   "tools": [{"type": "function", "function": {"name": "get_time"}}]}}}
                """);
        assertJson("""
                {"tools": [{"name": "get_time", "input_schema": {"type": "object", "properties": {}}}],
                 "tool_choice": {"type": "any"}}
                """, "{\"tools\": " + allowed.get("tools") + ", \"tool_choice\": " + allowed.get("tool_choice") + "}");

        MockUpstream.reset();
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hi"},
                  {"role": "function", "name": "get_weather", "content": "15 degrees"}]}
                """, "Invalid 'messages[1]': a 'function' message must answer an earlier assistant function_call of "
                + "the same name ('get_weather')", "messages[1].name", "invalid_request");
    }

    @Test
    void fieldsAnthropicCannotHonourAreRefusedNamingTheField() {
        String hi = "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]";
        unsupported("{\"model\": \"anthropic/claude-sonnet-4-5\", \"n\": 2, " + hi + "}", "n",
                "Anthropic returns a single choice per request");
        unsupported("{\"model\": \"anthropic/claude-sonnet-4-5\", \"logprobs\": true, " + hi + "}", "logprobs",
                "Anthropic does not return token log probabilities");
        unsupported("{\"model\": \"anthropic/claude-sonnet-4-5\", \"temperature\": 1.5, " + hi + "}", "temperature",
                "Anthropic accepts a temperature between 0 and 1");
        unsupported("{\"model\": \"anthropic/claude-sonnet-4-5\", \"logit_bias\": {\"50256\": -100}, " + hi + "}",
                "logit_bias", "Anthropic has no token biasing");
        unsupported("""
                {"model": "anthropic/claude-sonnet-4-5", "moderation": {"model": "omni-moderation-latest"},
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "moderation", "Anthropic has no moderation of requests and answers by a moderation model");
        unsupported("""
                {"model": "anthropic/claude-sonnet-4-5", "modalities": ["text", "image"],
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "modalities", "Anthropic answers with text only");
        unsupported("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": [
                  {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}]}]}
                """, "messages[0].content[0]", "Anthropic does not accept audio input");
        unsupported("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "data:image/bmp;base64,Qk0="}}]}]}
                """, "messages[0].content[0].image_url.url", "Anthropic accepts JPEG, PNG, GIF and WebP images, not "
                + "image/bmp");
        unsupported("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": [
                  {"type": "file", "file": {"file_id": "file-abc123"}}]}]}
                """, "messages[0].content[0].file.file_id", "OpenAI file ids mean nothing to Anthropic; send the file "
                + "inline as file_data");
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [
                  {"role": "user", "content": "Hi"},
                  {"role": "assistant", "tool_calls": [{"id": "t1", "type": "function",
                                                        "function": {"name": "f", "arguments": "not json"}}]}]}
                """, "Invalid 'messages[1].tool_calls[0].function.arguments': Anthropic needs the arguments as a JSON "
                + "object", "messages[1].tool_calls[0].function.arguments", "invalid_request");
    }
}
