package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The names people already use reach the right upstream with the id it knows; the answer's model is the upstream's. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class CatalogNamesTest {

    static final String MESSAGES = "/anthropic/v1/messages";
    static final String ANTHROPIC_ANSWER = """
            {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-opus-4-8-20261001",
             "content": [{"type": "text", "text": "Hello!"}], "stop_reason": "end_turn", "stop_sequence": null,
             "usage": {"input_tokens": 9, "output_tokens": 2}}
            """;
    static final String GEMINI_ANSWER = """
            {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello!"}]}, "finishReason": "STOP"}],
             "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 2, "totalTokenCount": 11},
             "modelVersion": "gemini-2.5-pro"}
            """;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("POST", MESSAGES, MockUpstream.json(200, ANTHROPIC_ANSWER));
    }

    private static io.restassured.response.ValidatableResponse chat(String model) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then();
    }

    @Test
    void aDottedClaudeVersionReachesAnthropicDashed() {
        chat("claude-opus-4.8").statusCode(200)
                .body("model", equalTo("claude-opus-4-8-20261001"))
                .body("choices[0].message.content", equalTo("Hello!"));
        assertEquals("claude-opus-4-8", MockUpstream.last(MESSAGES).json().getString("model"));
    }

    @Test
    void anOpenRouterStyleAnthropicNameReachesAnthropic() {
        chat("anthropic/claude-opus-4.5").statusCode(200);
        assertEquals("claude-opus-4-5", MockUpstream.last(MESSAGES).json().getString("model"));
    }

    @Test
    void aGoogleNameReachesGemini() {
        String generate = "/gemini/v1beta/models/gemini-2.5-pro:generateContent";
        MockUpstream.on("POST", generate, MockUpstream.json(200, GEMINI_ANSWER));
        chat("google/gemini-2.5-pro").statusCode(200).body("choices[0].message.content", equalTo("Hello!"));
        assertEquals(generate, MockUpstream.last(generate).path());
    }

    @Test
    void anUnknownNameIsStillAClear404() {
        chat("nobody/some-model").statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", containsString("'nobody/some-model' does not exist on this gateway"));
        chat("meta-llama/llama-9-9000b").statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void theModelListCarriesContextLengthPricingAndCapabilities() {
        String sonnet = "data.find { it.id == 'anthropic/claude-sonnet-4-5-20250929' }";
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models")
                .then().statusCode(200)
                .body(sonnet + ".object", equalTo("model"))
                .body(sonnet + ".owned_by", equalTo("anthropic"))
                .body(sonnet + ".context_length", equalTo(200000))
                .body(sonnet + ".max_completion_tokens", equalTo(64000))
                .body(sonnet + ".pricing.prompt", equalTo("0.000003"))
                .body(sonnet + ".pricing.completion", equalTo("0.000015"))
                .body(sonnet + ".pricing.input_cache_read", equalTo("0.0000003"))
                .body(sonnet + ".architecture.input_modalities", hasItems("text", "image"))
                .body(sonnet + ".capabilities", hasItems("tools", "vision", "reasoning"))
                .body("data.find { it.id == 'openai/openai-model-a' }.id", equalTo("openai/openai-model-a"))
                .body("data.find { it.id == 'openai/openai-model-a' }.context_length", nullValue());
    }

    @Test
    void theModelListShowsAKeyOnlyWhatItMayUse() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"openai-only\",\"models\":[\"openai/*\"]}");
        given().auth().oauth2(key.secret()).when().get("/v1/models")
                .then().statusCode(200)
                .body("data.id", hasItem("openai/gpt-4o"))
                .body("data.find { it.id == 'openai/gpt-4o' }.context_length", equalTo(128000))
                .body("data.id", hasItem("smart")) // an alias of openai/gpt-4o
                .body("data.id", not(hasItem("fast"))) // an alias of groq/llama-3.1-8b-instant
                .body("data.findAll { it.id.startsWith('anthropic/') || it.id.startsWith('gemini/') }", empty());
    }
}
