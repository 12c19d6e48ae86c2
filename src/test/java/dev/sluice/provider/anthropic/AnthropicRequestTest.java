package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
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
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
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

    private static void refused(String openAiRequest, String param) {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(openAiRequest)
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param))
                .body("error.message", containsStringIgnoringCase("anthropic"));
        assertTrue(MockUpstream.received().isEmpty(), "nothing may reach Anthropic: " + MockUpstream.received());
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
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hi"}],
                 "response_format": {"type": "json_object"},
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]}
                """, "response_format");
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
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "reasoning_effort": "low", "max_tokens": 1000,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """, "max_tokens");
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
    void fieldsAnthropicCannotHonourAreRefusedNamingTheField() {
        refused("{\"model\": \"anthropic/claude-sonnet-4-5\", \"n\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
                "n");
        refused("{\"model\": \"anthropic/claude-sonnet-4-5\", \"logprobs\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
                "logprobs");
        refused("{\"model\": \"anthropic/claude-sonnet-4-5\", \"temperature\": 1.5, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
                "temperature");
        refused("{\"model\": \"anthropic/claude-sonnet-4-5\", \"logit_bias\": {\"50256\": -100}, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
                "logit_bias");
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": [
                  {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}]}]}
                """, "messages[0].content[0]");
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "data:image/bmp;base64,Qk0="}}]}]}
                """, "messages[0].content[0].image_url.url");
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [{"role": "user", "content": [
                  {"type": "file", "file": {"file_id": "file-abc123"}}]}]}
                """, "messages[0].content[0].file.file_id");
        refused("""
                {"model": "anthropic/claude-sonnet-4-5", "messages": [
                  {"role": "user", "content": "Hi"},
                  {"role": "assistant", "tool_calls": [{"id": "t1", "type": "function",
                                                        "function": {"name": "f", "arguments": "not json"}}]}]}
                """, "messages[1].tool_calls[0].function.arguments");
    }
}
