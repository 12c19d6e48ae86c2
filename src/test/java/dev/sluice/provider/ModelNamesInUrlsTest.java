package dev.sluice.provider;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's model name never shapes an upstream URL: for every adapter that puts the model in the path (Gemini,
 * Azure deployments, Bedrock model ids), it stays one encoded path segment; names no URL can carry and names with
 * control characters are refused with 400 naming {@code model}, never a 500.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ModelNamesInUrlsTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static Response chat(String model) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions");
    }

    private static List<MockUpstream.Received> received(String prefix) {
        return MockUpstream.received().stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    @Test
    void aGeminiModelNameCannotClimbOutOfItsPath() {
        chat("gemini/../../v1/messages");
        for (MockUpstream.Received r : MockUpstream.received()) {
            assertTrue(r.uri().startsWith("/gemini/v1beta/models/"), r.uri());
            assertFalse(r.uri().contains("/v1/messages"), r.uri());
        }
        assertEquals(1, received("/gemini/").size());
    }

    @Test
    void aGeminiModelNameCannotAddAQueryOrSwitchEndpoint() {
        chat("gemini/x?alt=x&");
        chat("gemini/x:streamGenerateContent?");
        List<MockUpstream.Received> got = received("/gemini/");
        assertEquals(2, got.size());
        for (MockUpstream.Received r : got) {
            // the operator's key is sent as a header; the model adds no query of its own
            assertFalse(r.uri().contains("alt="), r.uri());
            assertTrue(r.path().endsWith(":generateContent"), r.path());
        }
        assertTrue(got.get(1).path().contains("x%3AstreamGenerateContent%3F"), got.get(1).path());
    }

    @Test
    void dotSegmentsAreRefused() {
        for (String model : List.of("gemini/..", "gemini/models/..", "bedrock/..", "azure/..")) {
            Response r = chat(model);
            assertEquals(400, r.statusCode(), model + ": " + r.asString());
            assertEquals("model", r.jsonPath().getString("error.param"));
        }
        assertTrue(MockUpstream.received().isEmpty());
    }

    @Test
    void namesNoUrlCanCarryAre400NamingModelNot500() {
        for (String model : List.of("gemini/a b", "gemini/x{", "gemini/a\\\\b", "bedrock/x}", "azure/a b")) {
            Response r = chat(model);
            assertEquals(400, r.statusCode(), model + ": " + r.asString());
            assertEquals("model", r.jsonPath().getString("error.param"), model);
            assertEquals("invalid_model", r.jsonPath().getString("error.code"), model);
        }
        assertTrue(MockUpstream.received().isEmpty());
    }

    @Test
    void controlCharactersAreRefusedForEveryProvider() {
        for (String model : List.of("gemini/x\\u0000", "openai/gpt-4o\\u0000", "anthropic/claude\\r\\nx",
                "bedrock/x\\u0007")) {
            Response r = chat(model);
            assertEquals(400, r.statusCode(), model + ": " + r.asString());
            assertEquals("model", r.jsonPath().getString("error.param"), model);
        }
        assertTrue(MockUpstream.received().isEmpty());
    }

    @Test
    void bedrockAndAzureKeepTheModelInOneSegment() {
        chat("bedrock/us.anthropic.claude-x/../../foo?bar");
        chat("azure/gpt/../../x?y");
        for (MockUpstream.Received r : MockUpstream.received()) {
            assertFalse(r.uri().contains("/foo"), r.uri());
            assertFalse(r.uri().contains("?bar") || r.uri().contains("?y"), r.uri());
            assertFalse(r.path().contains("/../"), r.path());
        }
        assertTrue(received("/bedrock/model/us.anthropic.claude-x%2F..%2F..%2Ffoo%3Fbar/").size() == 1,
                MockUpstream.received().toString());
        assertTrue(received("/azure/openai/deployments/gpt%2F..%2F..%2Fx%3Fy/").size() == 1,
                MockUpstream.received().toString());
    }
}
