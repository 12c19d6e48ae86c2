package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.RemoteImages;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
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
 * The Gemini request and response mappers as pure functions, without booting Quarkus: an OpenAI request in, the
 * {@code generateContent} body out, field by field (web images through a stand-in fetcher); a Gemini answer in,
 * the OpenAI completion out.
 */
class GeminiMappersTest {

    private static final String MODEL = "gemini-2.5-flash";

    /** The URLs the mapper asked to fetch; every fetch answers three JPEG bytes. */
    private final List<String> fetched = new ArrayList<>();

    private final GeminiRequestMapper mapper = new GeminiRequestMapper("gemini",
            GeminiOptions.from(new ProviderSettings("gemini", "gemini", "https://generativelanguage.googleapis.com",
                    Optional.of("AIza-123456"), Map.of(), List.of(), Duration.ofSeconds(30), Map.of())), JSON,
            (url, param) -> {
                fetched.add(url + " for " + param);
                return Uni.createFrom().item(new RemoteImages.Image("image/jpeg", new byte[]{1, 2, 3}));
            });

    private ObjectNode sent(String request) {
        return mapper.translate(chat(request), MODEL).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void textTurnsBecomeContentsAndGenerationConfig() {
        ObjectNode body = sent("""
                {"model": "gemini/gemini-2.5-flash", "max_tokens": 256, "temperature": 0.5, "top_p": 0.9,
                 "top_k": 40, "n": 2, "seed": 7, "stop": ["END", "STOP"],
                 "messages": [{"role": "system", "content": "Be brief."},
                              {"role": "user", "content": "Hi"},
                              {"role": "assistant", "content": "Hello"},
                              {"role": "user", "content": "Weather?"}]}
                """);
        assertEquals("Be brief.", body.at("/systemInstruction/parts/0/text").asText());
        JsonNode contents = body.get("contents");
        assertEquals(3, contents.size());
        assertEquals("user", contents.at("/0/role").asText());
        assertEquals("Hi", contents.at("/0/parts/0/text").asText());
        assertEquals("model", contents.at("/1/role").asText());
        assertEquals("Hello", contents.at("/1/parts/0/text").asText());
        assertEquals("Weather?", contents.at("/2/parts/0/text").asText());
        JsonNode config = body.get("generationConfig");
        assertEquals(256, config.get("maxOutputTokens").asInt());
        assertEquals(0.5, config.get("temperature").asDouble());
        assertEquals(0.9, config.get("topP").asDouble());
        assertEquals(40, config.get("topK").asInt());
        assertEquals(2, config.get("candidateCount").asInt());
        assertEquals(7, config.get("seed").asInt());
        assertEquals("[\"END\",\"STOP\"]", config.get("stopSequences").toString());
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
        JsonNode declaration = body.at("/tools/0/functionDeclarations/0");
        assertEquals("get_weather", declaration.get("name").asText());
        assertEquals("Weather", declaration.get("description").asText());
        assertEquals("string", declaration.at("/parametersJsonSchema/properties/city/type").asText());
        assertEquals("ANY", body.at("/toolConfig/functionCallingConfig/mode").asText());
        JsonNode call = body.at("/contents/1/parts/0/functionCall");
        assertEquals("model", body.at("/contents/1/role").asText());
        assertEquals("get_weather", call.get("name").asText());
        assertEquals("Paris", call.at("/args/city").asText());
        assertFalse(call.has("id"), "ids Sluice made up are not Gemini's");
        JsonNode response = body.at("/contents/2/parts/0/functionResponse");
        assertEquals("user", body.at("/contents/2/role").asText());
        assertEquals("get_weather", response.get("name").asText(), "the name comes from the call it answers");
        assertEquals("18C", response.at("/response/output").asText());
    }

    @Test
    void dataUrlImagesAreInlinedAndWebImagesFetchedThenInlined() {
        ObjectNode body = sent("""
                {"model": "m", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "Compare"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]}]}
                """);
        JsonNode parts = body.at("/contents/0/parts");
        assertEquals("Compare", parts.at("/0/text").asText());
        assertEquals("image/png", parts.at("/1/inlineData/mimeType").asText());
        assertEquals("iVBORw0KGgo=", parts.at("/1/inlineData/data").asText());
        assertEquals("image/jpeg", parts.at("/2/inlineData/mimeType").asText());
        assertEquals("AQID", parts.at("/2/inlineData/data").asText());
        assertEquals(List.of("https://example.com/cat.jpg for messages[0].content[2].image_url.url"), fetched);
    }

    @Test
    void whatGeminiCannotDoIsRefusedNamingTheField() {
        assertRefused("n", "Provider 'gemini' cannot honour 'n': Gemini returns at most 8 candidates", () -> sent("""
                {"model": "m", "n": 9, "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertRefused("logit_bias", "Provider 'gemini' cannot honour 'logit_bias': Gemini has no token biasing",
                () -> sent("""
                        {"model": "m", "logit_bias": {"50256": -100}, "messages": [{"role": "user", "content": "Hi"}]}
                        """));
        assertRefused("modalities", "Provider 'gemini' cannot honour 'modalities': Sluice's Gemini adapter returns "
                + "text and images, not \"audio\"", () -> sent("""
                {"model": "m", "modalities": ["text", "audio"], "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertRefused("seed", "Provider 'gemini' cannot honour 'seed': Gemini takes a 32-bit seed", () -> sent("""
                {"model": "m", "seed": 4294967296, "messages": [{"role": "user", "content": "Hi"}]}
                """));
        assertTrue(fetched.isEmpty());
    }

    @Test
    void aTextAnswerBecomesACompletion() {
        ObjectNode completion = GeminiResponseMapper.toCompletion(object("""
                {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello there"}]},
                                 "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 3, "totalTokenCount": 15},
                 "modelVersion": "gemini-2.5-flash-001", "responseId": "resp1"}
                """), "gemini", MODEL, 1700000000L, JSON.getNodeFactory());
        assertEquals("chat.completion", completion.get("object").asText());
        assertEquals(1700000000L, completion.get("created").asLong());
        assertEquals("gemini-2.5-flash-001", completion.get("model").asText());
        assertEquals("Hello there", completion.at("/choices/0/message/content").asText());
        assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
        assertEquals(12, completion.at("/usage/prompt_tokens").asInt());
        assertEquals(3, completion.at("/usage/completion_tokens").asInt());
        assertEquals(15, completion.at("/usage/total_tokens").asInt());
    }

    @Test
    void aFunctionCallAnswerBecomesToolCalls() {
        ObjectNode completion = GeminiResponseMapper.toCompletion(object("""
                {"candidates": [{"content": {"role": "model", "parts": [{"functionCall": {"id": "fc_1",
                   "name": "get_weather", "args": {"city": "Paris"}}}]}, "finishReason": "STOP", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 20, "candidatesTokenCount": 9, "totalTokenCount": 29},
                 "responseId": "resp2"}
                """), "gemini", MODEL, 1L, JSON.getNodeFactory());
        assertEquals(MODEL, completion.get("model").asText(), "the requested model when Gemini names none");
        JsonNode call = completion.at("/choices/0/message/tool_calls/0");
        assertEquals("fc_1", call.get("id").asText());
        assertEquals("get_weather", call.at("/function/name").asText());
        assertEquals("{\"city\":\"Paris\"}", call.at("/function/arguments").asText());
        assertEquals("tool_calls", completion.at("/choices/0/finish_reason").asText());
    }
}
