package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.RemoteImages;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static dev.sluice.provider.ChatBodies.JSON;
import static dev.sluice.provider.ChatBodies.assertRefused;
import static dev.sluice.provider.ChatBodies.chat;
import static dev.sluice.provider.ChatBodies.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Bedrock Converse request and response mappers as pure functions, without booting Quarkus: an OpenAI
 * request in, the Converse body out, field by field (web images through a stand-in fetcher); a Converse answer in,
 * the OpenAI completion out.
 */
class BedrockMappersTest {

    private static final String MODEL = "anthropic.claude-sonnet-4-20250514-v1:0";

    /** What the stand-in fetcher answers for a web image. */
    private final AtomicReference<String> fetchedType = new AtomicReference<>("image/gif");

    private final BedrockRequestMapper mapper = new BedrockRequestMapper("bedrock",
            BedrockOptions.from(new ProviderSettings("bedrock", "bedrock", BedrockOptions.runtimeUrl("us-east-1"),
                    Optional.of("bedrock-api-key"), Map.of(), List.of(), Duration.ofSeconds(30),
                    Map.of("region", "us-east-1"))), JSON,
            (url, param) -> Uni.createFrom().item(new RemoteImages.Image(fetchedType.get(), new byte[]{1, 2, 3})));

    private ObjectNode sent(String request) {
        return mapper.translate(chat(request), MODEL).await().atMost(Duration.ofSeconds(5)).body();
    }

    @Test
    void textTurnsBecomeSystemMessagesAndInferenceConfig() {
        ObjectNode body = sent("""
                {"model": "bedrock/claude", "max_tokens": 256, "temperature": 0.5, "top_p": 0.9, "stop": "END",
                 "user": "u-42",
                 "messages": [{"role": "system", "content": "Be brief."},
                              {"role": "user", "content": "Hi"},
                              {"role": "user", "content": "Still there?"},
                              {"role": "assistant", "content": "Hello"}]}
                """);
        assertEquals("Be brief.", body.at("/system/0/text").asText());
        JsonNode messages = body.get("messages");
        assertEquals(2, messages.size(), "consecutive user turns are merged");
        assertEquals("user", messages.at("/0/role").asText());
        assertEquals("Hi", messages.at("/0/content/0/text").asText());
        assertEquals("Still there?", messages.at("/0/content/1/text").asText());
        assertEquals("assistant", messages.at("/1/role").asText());
        assertEquals("Hello", messages.at("/1/content/0/text").asText());
        JsonNode inference = body.get("inferenceConfig");
        assertEquals(256, inference.get("maxTokens").asInt());
        assertEquals(0.5, inference.get("temperature").asDouble());
        assertEquals(0.9, inference.get("topP").asDouble());
        assertEquals("[\"END\"]", inference.get("stopSequences").toString());
        assertEquals("u-42", body.at("/requestMetadata/user").asText());
        assertFalse(body.has("model"), "the model goes in the URL");
    }

    @Test
    void toolsToolCallsAndToolResultsTranslate() {
        ObjectNode body = sent("""
                {"model": "m", "tool_choice": "required",
                 "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                 "messages": [{"role": "user", "content": "Weather in Paris?"},
                              {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
                                "type": "function", "function": {"name": "get_weather",
                                "arguments": "{\\"city\\": \\"Paris\\"}"}}]},
                              {"role": "tool", "tool_call_id": "call_1", "content": "18C"}]}
                """);
        JsonNode spec = body.at("/toolConfig/tools/0/toolSpec");
        assertEquals("get_weather", spec.get("name").asText());
        assertEquals("Weather", spec.get("description").asText());
        assertEquals("string", spec.at("/inputSchema/json/properties/city/type").asText());
        assertTrue(body.at("/toolConfig/toolChoice/any").isObject());
        JsonNode use = body.at("/messages/1/content/0/toolUse");
        assertEquals("call_1", use.get("toolUseId").asText());
        assertEquals("get_weather", use.get("name").asText());
        assertEquals("Paris", use.at("/input/city").asText());
        JsonNode result = body.at("/messages/2/content/0/toolResult");
        assertEquals("user", body.at("/messages/2/role").asText());
        assertEquals("call_1", result.get("toolUseId").asText());
        assertEquals("18C", result.at("/content/0/text").asText());
    }

    @Test
    void dataUrlImagesAreDecodedAndWebImagesFetchedAsBytes() {
        ObjectNode body = sent("""
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "Compare"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.gif"}}]}]}
                """);
        JsonNode content = body.at("/messages/0/content");
        assertEquals("Compare", content.at("/0/text").asText());
        assertEquals("png", content.at("/1/image/format").asText());
        assertEquals("iVBORw0KGgo=", content.at("/1/image/source/bytes").asText());
        assertEquals("gif", content.at("/2/image/format").asText());
        assertEquals("AQID", content.at("/2/image/source/bytes").asText());
    }

    @Test
    void whatConverseCannotDoIsRefusedNamingTheField() {
        assertRefused("presence_penalty", "Provider 'bedrock' cannot honour 'presence_penalty': Bedrock's Converse "
                + "API has no presence penalty", () -> sent("""
                {"model": "m", "presence_penalty": 0.5, "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertRefused("web_search_options", "Provider 'bedrock' cannot honour 'web_search_options': Bedrock's "
                + "Converse API has no web search tool", () -> sent("""
                {"model": "m", "web_search_options": {}, "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertRefused("messages[0].content[0].type", "Provider 'bedrock' cannot honour "
                + "'messages[0].content[0].type': Bedrock cannot take a 'search_result' content part", () -> sent("""
                {"model": "m", "messages": [{"role": "user", "content": [{"type": "search_result", "source": "x"}]}]}
                """));
        fetchedType.set("image/bmp");
        assertRefused("messages[0].content[0].image_url.url", "Provider 'bedrock' cannot honour "
                + "'messages[0].content[0].image_url.url': Bedrock accepts PNG, JPEG, GIF and WebP images, not "
                + "image/bmp", () -> sent("""
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.bmp"}}]}]}
                """));
    }

    @Test
    void aTextAnswerBecomesACompletion() {
        ObjectNode completion = BedrockResponseMapper.toCompletion(object("""
                {"output": {"message": {"role": "assistant", "content": [{"text": "Hello there"}]}},
                 "stopReason": "end_turn", "usage": {"inputTokens": 12, "outputTokens": 3, "totalTokens": 15}}
                """), MODEL, "req-1", null, 1700000000L, JSON.getNodeFactory());
        assertEquals("chatcmpl-req-1", completion.get("id").asText());
        assertEquals(1700000000L, completion.get("created").asLong());
        assertEquals(MODEL, completion.get("model").asText());
        assertEquals("Hello there", completion.at("/choices/0/message/content").asText());
        assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
        assertEquals(12, completion.at("/usage/prompt_tokens").asInt());
        assertEquals(3, completion.at("/usage/completion_tokens").asInt());
        assertEquals(15, completion.at("/usage/total_tokens").asInt());
    }

    @Test
    void aToolUseAnswerBecomesToolCallsAndAForcedJsonToolBecomesContent() {
        ObjectNode calls = BedrockResponseMapper.toCompletion(object("""
                {"output": {"message": {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tooluse_1",
                   "name": "get_weather", "input": {"city": "Paris"}}}]}},
                 "stopReason": "tool_use", "usage": {"inputTokens": 20, "outputTokens": 9, "totalTokens": 29}}
                """), MODEL, "req-2", null, 1L, JSON.getNodeFactory());
        JsonNode call = calls.at("/choices/0/message/tool_calls/0");
        assertEquals("tooluse_1", call.get("id").asText());
        assertEquals("get_weather", call.at("/function/name").asText());
        assertEquals("{\"city\":\"Paris\"}", call.at("/function/arguments").asText());
        assertEquals("tool_calls", calls.at("/choices/0/finish_reason").asText());

        ObjectNode json = BedrockResponseMapper.toCompletion(object("""
                {"output": {"message": {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tooluse_2",
                   "name": "json_answer", "input": {"city": "Paris"}}}]}},
                 "stopReason": "tool_use", "usage": {"inputTokens": 20, "outputTokens": 9, "totalTokens": 29}}
                """), MODEL, "req-3", "json_answer", 1L, JSON.getNodeFactory());
        assertEquals("{\"city\":\"Paris\"}", json.at("/choices/0/message/content").asText());
        assertTrue(json.at("/choices/0/message/tool_calls").isMissingNode());
        assertEquals("stop", json.at("/choices/0/finish_reason").asText());
    }
}
