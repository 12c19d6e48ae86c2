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

import static dev.sluice.testing.JsonAssert.assertJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(upstream.subList(1, upstream.size()), relayed,
                "every chunk but the preamble, byte for byte, then [DONE]");
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
        MockUpstream.on("POST", DEPLOYMENT_CHAT, MockUpstream.json(400, AzureFixtures.CONTENT_FILTER_ERROR));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"azure/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.code", equalTo("content_filter"))
                .body("error.param", equalTo("prompt"))
                .body("error.message", containsString("content management policy"));

        MockUpstream.on("POST", DEPLOYMENT_CHAT, ctx -> ctx.response().setStatusCode(429)
                .putHeader("retry-after", "12").putHeader("content-type", "application/json")
                .end(AzureFixtures.RATE_LIMIT_ERROR));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"azure/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(429).header("Retry-After", "12")
                .body("error.type", equalTo("rate_limit_error"));

        MockUpstream.on("POST", DEPLOYMENT_CHAT, MockUpstream.json(401, "{\"error\": {\"code\": \"401\", \"message\": "
                + "\"Access denied due to invalid subscription key " + MockUpstream.AZURE_KEY + "\"}}"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"azure/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.message", not(containsString(MockUpstream.AZURE_KEY)));
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
