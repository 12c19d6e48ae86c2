package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.sluice.provider.ChatBodies.JSON;
import static dev.sluice.provider.ChatBodies.assertRefused;
import static dev.sluice.provider.ChatBodies.chat;
import static dev.sluice.provider.ChatBodies.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Anthropic request and response mappers as pure functions, without booting Quarkus: an OpenAI request in,
 * the Messages API body out, field by field; a Messages API answer in, the OpenAI completion out.
 */
class AnthropicMappersTest {

    private static final String MODEL = "claude-sonnet-4-5";

    private static final AnthropicRequestMapper MAPPER = new AnthropicRequestMapper("claude",
            AnthropicOptions.from(new ProviderSettings("claude", "anthropic", "https://api.anthropic.com",
                    Optional.of("sk-ant-123456"), Map.of(), List.of(), Duration.ofSeconds(30), Map.of())), JSON);

    private static ObjectNode sent(String request) {
        return MAPPER.translate(chat(request), MODEL, false).body();
    }

    @Test
    void textTurnsBecomeSystemAndAlternatingMessages() {
        ObjectNode body = sent("""
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 256, "temperature": 0.5, "top_p": 0.9,
                 "stop": "END", "user": "u-42",
                 "messages": [{"role": "system", "content": "Be brief."},
                              {"role": "user", "content": "Hi"},
                              {"role": "assistant", "content": "Hello"},
                              {"role": "user", "content": "Weather?"}]}
                """);
        assertEquals(MODEL, body.get("model").asText());
        assertEquals("Be brief.", body.get("system").asText());
        assertEquals(3, body.get("messages").size());
        assertEquals("user", body.at("/messages/0/role").asText());
        assertEquals("Hi", body.at("/messages/0/content").asText());
        assertEquals("assistant", body.at("/messages/1/role").asText());
        assertEquals("Hello", body.at("/messages/1/content").asText());
        assertEquals("Weather?", body.at("/messages/2/content").asText());
        assertEquals(256, body.get("max_tokens").asInt());
        assertEquals(0.5, body.get("temperature").asDouble());
        assertEquals(0.9, body.get("top_p").asDouble());
        assertEquals("[\"END\"]", body.get("stop_sequences").toString());
        assertEquals("u-42", body.at("/metadata/user_id").asText());
        assertFalse(body.has("stream"));
        assertTrue(MAPPER.translate(chat("""
                {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "Hi"}]}
                """), MODEL, true).body().get("stream").asBoolean());
    }

    @Test
    void toolsToolCallsAndToolResultsTranslate() {
        ObjectNode body = sent("""
                {"model": "m", "max_tokens": 256, "tool_choice": "required", "parallel_tool_calls": false,
                 "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                 "messages": [{"role": "user", "content": "Weather in Paris?"},
                              {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
                                "type": "function", "function": {"name": "get_weather",
                                "arguments": "{\\"city\\": \\"Paris\\"}"}}]},
                              {"role": "tool", "tool_call_id": "call_1", "content": "18C"}]}
                """);
        assertEquals("get_weather", body.at("/tools/0/name").asText());
        assertEquals("Weather", body.at("/tools/0/description").asText());
        assertEquals("string", body.at("/tools/0/input_schema/properties/city/type").asText());
        assertEquals("any", body.at("/tool_choice/type").asText());
        assertTrue(body.at("/tool_choice/disable_parallel_tool_use").asBoolean());
        JsonNode use = body.at("/messages/1/content/0");
        assertEquals("tool_use", use.get("type").asText());
        assertEquals("call_1", use.get("id").asText());
        assertEquals("get_weather", use.get("name").asText());
        assertEquals("Paris", use.at("/input/city").asText());
        JsonNode result = body.at("/messages/2/content/0");
        assertEquals("user", body.at("/messages/2/role").asText());
        assertEquals("tool_result", result.get("type").asText());
        assertEquals("call_1", result.get("tool_use_id").asText());
        assertEquals("18C", result.get("content").asText());
    }

    @Test
    void dataUrlImagesBecomeBase64Sources() {
        ObjectNode body = sent("""
                {"model": "m", "max_tokens": 256, "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "What is this?"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]}
                """);
        JsonNode blocks = body.at("/messages/0/content");
        assertEquals("text", blocks.at("/0/type").asText());
        assertEquals("What is this?", blocks.at("/0/text").asText());
        assertEquals("image", blocks.at("/1/type").asText());
        assertEquals("base64", blocks.at("/1/source/type").asText());
        assertEquals("image/png", blocks.at("/1/source/media_type").asText());
        assertEquals("iVBORw0KGgo=", blocks.at("/1/source/data").asText());
    }

    @Test
    void whatAnthropicCannotDoIsRefusedNamingTheField() {
        assertRefused("n", "Provider 'claude' cannot honour 'n': Anthropic returns a single choice per request",
                () -> sent("""
                        {"model": "m", "n": 2, "messages": [{"role": "user", "content": "Hi"}]}
                        """));
        assertRefused("top_logprobs", "Provider 'claude' cannot honour 'top_logprobs': Anthropic does not return "
                + "token log probabilities", () -> sent("""
                {"model": "m", "logprobs": true, "top_logprobs": 2, "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertRefused("temperature", "Provider 'claude' cannot honour 'temperature': Anthropic accepts a "
                + "temperature between 0 and 1", () -> sent("""
                {"model": "m", "temperature": 1.5, "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertRefused("messages[0].content[0].image_url.url", "Provider 'claude' cannot honour "
                + "'messages[0].content[0].image_url.url': Anthropic accepts JPEG, PNG, GIF and WebP images, not "
                + "image/bmp", () -> sent("""
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "data:image/bmp;base64,Qk0="}}]}]}
                """));
    }

    @Test
    void aTextAnswerBecomesACompletion() {
        ObjectNode completion = AnthropicResponseMapper.toCompletion(object("""
                {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "text", "text": "Hello there"}], "stop_reason": "end_turn",
                 "usage": {"input_tokens": 12, "output_tokens": 3}}
                """), null, 1700000000L, JSON.getNodeFactory());
        assertEquals("msg_01", completion.get("id").asText());
        assertEquals("chat.completion", completion.get("object").asText());
        assertEquals(1700000000L, completion.get("created").asLong());
        assertEquals("claude-sonnet-4-5", completion.get("model").asText());
        assertEquals("assistant", completion.at("/choices/0/message/role").asText());
        assertEquals("Hello there", completion.at("/choices/0/message/content").asText());
        assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
        assertEquals(12, completion.at("/usage/prompt_tokens").asInt());
        assertEquals(3, completion.at("/usage/completion_tokens").asInt());
        assertEquals(15, completion.at("/usage/total_tokens").asInt());
    }

    @Test
    void aToolUseAnswerBecomesToolCalls() {
        ObjectNode completion = AnthropicResponseMapper.toCompletion(object("""
                {"id": "msg_02", "model": "claude-sonnet-4-5", "stop_reason": "tool_use",
                 "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather",
                              "input": {"city": "Paris"}}],
                 "usage": {"input_tokens": 20, "output_tokens": 9}}
                """), null, 1L, JSON.getNodeFactory());
        JsonNode call = completion.at("/choices/0/message/tool_calls/0");
        assertEquals("toolu_1", call.get("id").asText());
        assertEquals("function", call.get("type").asText());
        assertEquals("get_weather", call.at("/function/name").asText());
        assertEquals("{\"city\":\"Paris\"}", call.at("/function/arguments").asText());
        assertTrue(completion.at("/choices/0/message/content").isNull());
        assertEquals("tool_calls", completion.at("/choices/0/finish_reason").asText());
    }
}
