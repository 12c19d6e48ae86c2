package dev.sluice.api;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(MockUpstream.class)
class ModelsAndEmbeddingsTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void theModelListHasAliasesAndEveryHealthyProvidersModelsEvenWhenOneIsSlowAndOneFails() {
        long started = System.nanoTime();
        List<String> ids = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models")
                .then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.object", everyItem(equalTo("model")))
                .body("data.id", hasItems("fast", "smart", "openai/openai-model-a", "openai/gpt-4o",
                        "groq/groq-model-a", "ollama/ollama-model-a"))
                .body("data.find { it.id == 'fast' }.owned_by", equalTo("groq"))
                .body("data.find { it.id == 'openai/gpt-4o' }.created", equalTo(1700000001))
                .extract().jsonPath().getList("data.id", String.class);
        long millis = (System.nanoTime() - started) / 1_000_000;
        // slowpoke never answers and broken answers 500: both are left out, and the call is bounded by the
        // list timeout (1s in tests) rather than by the slow provider
        assertEquals(0, ids.stream().filter(id -> id.startsWith("slowpoke/") || id.startsWith("broken/")).count());
        org.hamcrest.MatcherAssert.assertThat(millis, lessThan(8_000L));
    }

    @Test
    void providerModelListsAreCachedBetweenCalls() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models").then().statusCode(200)
                .header("x-sluice-overhead-ms", org.hamcrest.Matchers.matchesPattern("\\d+\\.\\d{3}"));
        MockUpstream.reset();

        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models").then().statusCode(200)
                .body("data.id", hasItems("openai/gpt-4o", "groq/groq-model-a"));

        assertEquals(0, MockUpstream.count("/openai/v1/models"), "openai's list came from the cache");
        assertEquals(0, MockUpstream.count("/groq/v1/models"), "groq's list came from the cache");
    }

    @Test
    void aModelCanBeRetrievedByAliasQualifiedOrBareName() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models/openai/gpt-4o")
                .then().statusCode(200).body("id", equalTo("openai/gpt-4o")).body("owned_by", equalTo("openai"))
                .body("object", equalTo("model"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models/smart")
                .then().statusCode(200).body("id", equalTo("smart")).body("owned_by", equalTo("openai"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models/gpt-4o")
                .then().statusCode(200).body("id", equalTo("gpt-4o"));
    }

    @Test
    void aModelTheProviderDoesNotListIsA404() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models/openai/gpt-nonexistent")
                .then().statusCode(404).body("error.code", equalTo("model_not_found"))
                .body("error.message", containsString("gpt-nonexistent"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models/who-knows")
                .then().statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void listingModelsNeedsAKey() {
        given().when().get("/v1/models").then().statusCode(401);
    }

    @Test
    void embeddingsAreForwardedAndRelayed() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"dimensions\":3,"
                        + "\"encoding_format\":\"float\",\"future_option\":1}")
                .when().post("/v1/embeddings")
                .then().statusCode(200)
                .header("x-sluice-provider", "openai")
                .body("object", equalTo("list"))
                .body("data[0].object", equalTo("embedding"))
                .body("data[0].embedding.size()", equalTo(3))
                .body("usage.prompt_tokens", equalTo(3));
        var sent = MockUpstream.last("/openai/v1/embeddings").json();
        assertEquals("text-embedding-3-small", sent.getString("model"));
        assertEquals(1, sent.getInteger("future_option"));
        assertEquals(3, sent.getInteger("dimensions"));
    }

    @Test
    void invalidEmbeddingsRequestsAre400s() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/text-embedding-3-small\"}")
                .when().post("/v1/embeddings").then().statusCode(400).body("error.param", equalTo("input"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/text-embedding-3-small\",\"input\":\"x\",\"encoding_format\":\"hex\"}")
                .when().post("/v1/embeddings").then().statusCode(400).body("error.param", equalTo("encoding_format"));
    }

    @Test
    void anEmbeddingsUpstreamErrorKeepsItsStatus() {
        MockUpstream.on("POST", "/openai/v1/embeddings", MockUpstream.json(400,
                "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\",\"type\":"
                        + "\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/text-embedding-3-small\",\"input\":\"x\"}")
                .when().post("/v1/embeddings").then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.message", containsString("maximum context length"));
    }

    @Test
    void healthEndpointsAreOpen() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/v1/models").then().statusCode(401).body("error.code", not(equalTo("")));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/models").then()
                .body("data.id", not(hasItem("slowpoke/slowpoke-model-a")));
    }
}
