package dev.sluice.provider.azure;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.sluice.testing.ErrorAssert.assertError;
import static dev.sluice.testing.ErrorAssert.error;
import static dev.sluice.testing.JsonAssert.assertJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Azure OpenAI through both URL forms: the request Azure receives (URL, api-version, api-key, deployment, every
 * client field), its answers relayed as they are, streams without Azure's prompt-filter preamble, embeddings,
 * errors and the model list of configured deployments.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class AzureAdapterTest {

    static final String DEPLOYMENT_CHAT = "/azure/openai/deployments/prod-gpt4o/chat/completions";
    static final String V1_CHAT = "/azure-v1/openai/v1/chat/completions";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static String chat(String body, int status) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions")
                .then().statusCode(status).extract().asString();
    }

    @Test
    void theDeploymentFormCarriesTheApiVersionTheKeyAndEveryField() {
        MockUpstream.on("POST", DEPLOYMENT_CHAT, MockUpstream.json(200, AzureFixtures.CHAT_RESPONSE));
        String answer = chat(AzureFixtures.CHAT_REQUEST, 200);
        assertJson(AzureFixtures.CHAT_RESPONSE, answer);

        MockUpstream.Received received = MockUpstream.last(DEPLOYMENT_CHAT);
        assertEquals(DEPLOYMENT_CHAT + "?api-version=2024-10-21", received.uri());
        assertEquals(MockUpstream.AZURE_KEY, received.headers().get("api-key"));
        assertNull(received.headers().get("authorization"), "Azure's key travels in api-key only");
        JsonObject expected = new JsonObject(AzureFixtures.CHAT_REQUEST).put("model", "prod-gpt4o");
        assertJson(expected.encode(), received.body());
    }

    @Test
    void aModelWithoutAMappingGoesToTheDeploymentOfTheSameName() {
        chat("{\"model\": \"azure/gpt-4.1\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}", 200);
        MockUpstream.Received received = MockUpstream.last("/azure/openai/deployments/gpt-4.1/chat/completions");
        assertEquals("gpt-4.1", received.json().getString("model"));
    }

    @Test
    void theV1FormNamesTheDeploymentInTheBody() {
        MockUpstream.on("POST", V1_CHAT, MockUpstream.json(200, AzureFixtures.CHAT_RESPONSE));
        assertJson(AzureFixtures.CHAT_RESPONSE, chat("""
                {"model": "azure-v1/gpt-4o", "messages": [{"role": "user", "content": "Hi"}], "max_completion_tokens": 50}
                """, 200));
        MockUpstream.Received received = MockUpstream.last(V1_CHAT);
        assertEquals(V1_CHAT, received.uri(), "the v1 form takes no dated api-version");
        assertEquals(MockUpstream.AZURE_V1_KEY, received.headers().get("api-key"));
        assertJson("""
                {"model": "gpt4o-v1", "messages": [{"role": "user", "content": "Hi"}], "max_completion_tokens": 50}
                """, received.body());
    }

    @Test
    void streamsAreRelayedChunkByChunkWithoutThePromptFilterPreamble() throws Exception {
        MockUpstream.on("POST", DEPLOYMENT_CHAT, MockUpstream.recordedSse(Duration.ofMillis(1), AzureFixtures.STREAM));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", """
                {"model": "azure/gpt-4o", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "Hi"}]}
                """).build());
        assertEquals(200, result.status());
        List<String> upstream = AzureFixtures.STREAM.lines().filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6)).toList();
        List<String> relayed = result.events().stream().map(Sse.Event::data).toList();
        // the usage chunk gains Sluice's cost of the request: azure/gpt-4o at $2.50 / $10 per million tokens,
        // 33 prompt + 3 completion tokens = $0.0001125, rounded up to the micro-dollar
        List<String> expected = upstream.subList(1, upstream.size()).stream()
                .map(d -> d.replace("\"total_tokens\":36}", "\"total_tokens\":36,\"cost\":0.000113}")).toList();
        assertEquals(expected, relayed, "every chunk but the preamble, byte for byte (the usage chunk with its "
                + "cost), then [DONE]");
        assertEquals("assistant", result.chunks().get(0).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("role"), "the first chunk the client sees carries the role");
        assertTrue(MockUpstream.last(DEPLOYMENT_CHAT).json().getBoolean("stream"));
    }

    @Test
    void embeddingsGoToTheEmbeddingDeployment() {
        String path = "/azure/openai/deployments/embed-small/embeddings";
        MockUpstream.on("POST", path, MockUpstream.json(200, AzureFixtures.EMBEDDINGS_RESPONSE));
        String answer = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"azure/text-embedding-3-small\", \"input\": [\"this is a test\"]}")
                .when().post("/v1/embeddings")
                .then().statusCode(200).extract().asString();
        assertJson(AzureFixtures.EMBEDDINGS_RESPONSE, answer);
        MockUpstream.Received received = MockUpstream.last(path);
        assertEquals(path + "?api-version=2024-10-21", received.uri());
        assertJson("{\"model\": \"embed-small\", \"input\": [\"this is a test\"]}", received.body());
        assertEquals(MockUpstream.AZURE_KEY, received.headers().get("api-key"));
    }

    @Test
    void azureErrorsKeepTheirStatusCodeAndRetryAfter() {
        String ask = "{\"model\": \"azure/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
        MockUpstream.on("POST", DEPLOYMENT_CHAT, MockUpstream.json(400, AzureFixtures.CONTENT_FILTER_ERROR));
        assertError(error("The response was filtered due to the prompt triggering Azure OpenAI's content "
                + "management policy.", "invalid_request_error", "prompt", "content_filter"), chat(ask, 400));

        MockUpstream.on("POST", DEPLOYMENT_CHAT, ctx -> ctx.response().setStatusCode(429)
                .putHeader("retry-after", "12").putHeader("content-type", "application/json")
                .end(AzureFixtures.RATE_LIMIT_ERROR));
        String limited = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(ask)
                .when().post("/v1/chat/completions")
                .then().statusCode(429).header("Retry-After", "12").extract().asString();
        assertError(error("Provider 'azure' is rate limiting requests: Requests to the ChatCompletions_Create "
                + "Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of "
                + "your current OpenAI S0 pricing tier. Please retry after 12 seconds.",
                "rate_limit_error", null, "rate_limit_exceeded"), limited);

        MockUpstream.on("POST", DEPLOYMENT_CHAT, MockUpstream.json(401, "{\"error\": {\"code\": \"401\", \"message\": "
                + "\"Access denied due to invalid subscription key " + MockUpstream.AZURE_KEY + "\"}}"));
        String denied = chat(ask, 401);
        assertError(error("Provider 'azure' refused Sluice's credentials (HTTP 401): Access denied due to "
                + "invalid subscription key [redacted]", "authentication_error", null, "upstream_auth_failed"), denied);
        assertFalse(denied.contains(MockUpstream.AZURE_KEY), "the key never reaches the client");
    }

    @Test
    void anErrorArrivingMidStreamEndsTheStreamWithThatError() throws Exception {
        MockUpstream.on("POST", DEPLOYMENT_CHAT, MockUpstream.recordedSse(Duration.ofMillis(1),
                AzureFixtures.ERROR_STREAM));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", """
                {"model": "azure/gpt-4o", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
                """).build());
        assertEquals(200, result.status(), "the stream had started when the error came");
        List<Sse.Event> events = result.events();
        List<String> upstream = AzureFixtures.ERROR_STREAM.lines().filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6)).toList();
        assertEquals(upstream.subList(1, 3), events.subList(0, 2).stream().map(Sse.Event::data).toList(),
                "what arrived before the error is relayed as it was");
        assertEquals(3, events.size(), "the error event ends the stream, without [DONE]: " + events);
        assertError(error("Provider 'azure' failed with HTTP 500: The server had an error while processing your "
                + "request. Sorry about that!", "upstream_error", null, "upstream_error"), events.get(2).data());
    }

    @Test
    void theModelListIsTheConfiguredDeployments() {
        List<String> ids = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models")
                .then().statusCode(200)
                .body("data.find { it.id == 'azure/gpt-4o' }.owned_by", equalTo("azure"))
                .extract().jsonPath().getList("data.id", String.class);
        assertTrue(ids.containsAll(List.of("azure/gpt-4o", "azure/text-embedding-3-small", "azure-v1/gpt-4o",
                "azure-v1/gpt-4.1-mini")), ids.toString());
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().startsWith("/azure")),
                "the list needs no call to Azure");
    }
}
