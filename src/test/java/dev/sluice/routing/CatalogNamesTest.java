package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models/anthropic/claude-opus-4-5")
                .then().statusCode(200)
                .body("id", equalTo("anthropic/claude-opus-4-5"))
                .body("object", equalTo("model"))
                .body("context_length", equalTo(200000))
                .body("pricing.prompt", equalTo("0.000005"))
                .body("pricing.completion", equalTo("0.000025"))
                .body("capabilities", org.hamcrest.Matchers.hasItems("tools", "vision", "reasoning"));
    }
}
