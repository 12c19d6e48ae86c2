package dev.sluice.rag;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The context is built on the OpenAI-format request before any translation, so the OpenAI, Anthropic and Gemini
 * adapters all carry the very same injected text to their provider (as a system message, Anthropic's
 * {@code system}, Gemini's {@code systemInstruction}).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RetrievalAcrossProvidersTest {

    static final String PAGE = "<html><head><title>Moon Facts</title></head><body><main><h1>Moon Facts</h1>"
            + "<p>The Moon orbits the Earth every 27.3 days. Its gravity raises the tides twice a day.</p></main></body></html>";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("GET", "/pages/moon-facts", MockUpstream.html(PAGE));
    }

    private static String ask(String model) {
        return new JsonObject().put("model", model).put("max_tokens", 100)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
                        .put("content", "How often does the Moon orbit the Earth?")))
                .put("web_extract", new JsonObject().put("urls", new JsonArray().add(MockUpstream.pageUrl("/pages/moon-facts"))))
                .encode();
    }

    @Test
    void openAiAnthropicAndGeminiReceiveTheSameContext() {
        for (String model : new String[] {"openai/gpt-4o", "anthropic/claude-sonnet-4-5", "gemini/gemini-2.5-flash"}) {
            given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(ask(model))
                    .when().post("/v1/chat/completions")
                    .then().statusCode(200).body("sources[0].title", equalTo("Moon Facts"));
        }
        String openAi = MockUpstream.last("/openai/v1/chat/completions").json().getJsonArray("messages")
                .getJsonObject(0).getString("content");
        assertTrue(openAi.contains("[1] Moon Facts — " + MockUpstream.pageUrl("/pages/moon-facts")), openAi);
        assertTrue(openAi.contains("every 27.3 days"));

        JsonObject anthropic = MockUpstream.last("/anthropic/v1/messages").json();
        Object system = anthropic.getValue("system");
        String anthropicSystem = system instanceof String text ? text
                : ((JsonArray) system).getJsonObject(0).getString("text");
        assertEquals(openAi, anthropicSystem, "Anthropic gets the same context, as its system prompt");
        assertEquals("How often does the Moon orbit the Earth?", anthropic.getJsonArray("messages").getJsonObject(0)
                .getValue("content") instanceof String s ? s : anthropic.getJsonArray("messages").getJsonObject(0)
                .getJsonArray("content").getJsonObject(0).getString("text"));

        JsonObject gemini = MockUpstream.received().stream()
                .filter(r -> r.path().startsWith("/gemini/") && r.path().endsWith(":generateContent"))
                .reduce((a, b) -> b).orElseThrow().json();
        String geminiSystem = gemini.getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0)
                .getString("text");
        assertEquals(openAi, geminiSystem, "Gemini gets the same context, as its system instruction");
    }
}
