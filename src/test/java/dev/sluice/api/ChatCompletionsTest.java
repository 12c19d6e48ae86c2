package dev.sluice.api;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(MockUpstream.class)
class ChatCompletionsTest {

    static final String COMPLETIONS = "/openai/v1/chat/completions";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void completionIsRelayedWithTheUpstreamsBodyAndSluiceHeaders() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .header("x-request-id", matchesPattern("req_[0-9a-f]{24}"))
                .header("x-sluice-overhead-ms", matchesPattern("\\d+\\.\\d{3}"))
                .header("x-sluice-provider", "openai")
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Hello there"))
                .body("usage.total_tokens", equalTo(11));
    }

    @Test
    void everyRequestFieldReachesTheUpstreamUnchangedExceptTheModelName() {
        String body = """
                {"model": "openai/gpt-4o",
                 "messages": [
                   {"role": "developer", "content": "Be brief."},
                   {"role": "user", "content": [
                      {"type": "text", "text": "What is this?"},
                      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}}]},
                   {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                      "function": {"name": "lookup", "arguments": "{\\"q\\":\\"x\\"}"}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "found"}],
                 "tools": [{"type": "function", "function": {"name": "lookup", "description": "Look up",
                    "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}, "strict": true}}],
                 "tool_choice": {"type": "function", "function": {"name": "lookup"}},
                 "parallel_tool_calls": false,
                 "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "strict": true,
                    "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}},
                 "n": 2, "stop": ["END", "STOP"], "seed": 42, "logprobs": true, "top_logprobs": 3,
                 "temperature": 0.7, "top_p": 0.9, "presence_penalty": 0.5, "frequency_penalty": -0.5,
                 "max_tokens": 100, "max_completion_tokens": 120, "reasoning_effort": "low",
                 "user": "user-42", "metadata": {"team": "search"},
                 "logit_bias": {"50256": -100},
                 "a_field_from_the_future": {"nested": [1, 2.5, "x", null, true]},
                 "service_tier": "flex"}
                """;
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions").then().statusCode(200);

        MockUpstream.Received got = MockUpstream.last(COMPLETIONS);
        JsonObject sent = new JsonObject(body);
        JsonObject received = got.json();
        assertEquals("gpt-4o", received.getString("model"));
        sent.remove("model");
        received.remove("model");
        assertEquals(sent, received, "every other field must arrive exactly as the client sent it");
        assertEquals("Bearer " + MockUpstream.OPENAI_KEY, got.headers().get("authorization"));
        assertEquals("application/json", got.headers().get("content-type"));
    }

    @Test
    void theRequestIdIsPropagatedUpstreamAndReturned() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .header("x-request-id", "my-trace-123")
                .body("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-request-id", "my-trace-123");
        assertEquals("my-trace-123", MockUpstream.last(COMPLETIONS).headers().get("x-request-id"));
    }

    @Test
    void bareNamesFollowThePrefixRulesAndAliasesMapToTheirTarget() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-sluice-provider", "openai");
        assertEquals("gpt-4o-mini", MockUpstream.last(COMPLETIONS).json().getString("model"));

        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-sluice-provider", "groq");
        MockUpstream.Received groq = MockUpstream.last("/groq/v1/chat/completions");
        assertEquals("llama-3.1-8b-instant", groq.json().getString("model"));
        assertEquals("Bearer " + MockUpstream.GROQ_KEY, groq.headers().get("authorization"));
    }

    @Test
    void providerModelIdsMayThemselvesContainSlashes() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"groq/meta-llama/llama-4-scout\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);
        assertEquals("meta-llama/llama-4-scout", MockUpstream.last("/groq/v1/chat/completions").json().getString("model"));
    }

    @Test
    void aKeylessLocalServerIsReachedOnItsV1Path() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"ollama/llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-sluice-provider", "ollama");
        MockUpstream.Received got = MockUpstream.last("/ollama/v1/chat/completions");
        assertFalse(got.headers().contains("authorization"), "no key is configured, so none may be sent");
    }

    @Test
    void theProvidersKeyNeverReachesTheClientEvenWhenTheUpstreamEchoesIt() {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(401, "{\"error\":{\"message\":\"Incorrect API key "
                + "provided: " + MockUpstream.OPENAI_KEY + ". You can find your API key at https://platform.openai.com\","
                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        String body = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(401).body("error.message", notNullValue()).extract().asString();
        assertFalse(body.contains(MockUpstream.OPENAI_KEY), body);
        assertFalse(body.contains("0123456789abcdef"), body);
        assertTrue(body.contains("openai"), "the message names the provider: " + body);
    }
}
