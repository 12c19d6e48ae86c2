package dev.sluice.api;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** Every row of the error table: status, type, code, param, message — always in OpenAI's envelope. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ErrorsTest {

    static final String COMPLETIONS = "/openai/v1/chat/completions";
    static final String HI = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static ValidatableResponse post(String body) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions").then();
    }

    private static void assertEnvelope(ValidatableResponse r) {
        r.contentType(ContentType.JSON)
                .header("x-request-id", org.hamcrest.Matchers.startsWith("req_"))
                .header("x-sluice-overhead-ms", org.hamcrest.Matchers.matchesPattern("\\d+\\.\\d{3}"))
                .body("error", hasKey("message")).body("error", hasKey("type"))
                .body("error", hasKey("param")).body("error", hasKey("code"));
    }

    @Test
    void malformedJsonIsA400() {
        ValidatableResponse r = post("{\"model\": \"gpt-4o\", \"messages\": [").statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_json"))
                .body("error.message", containsString("not valid JSON"));
        assertEnvelope(r);
    }

    @Test
    void aBodyThatIsNotAnObjectIsA400() {
        post("[1,2,3]").statusCode(400).body("error.message", containsString("JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing model|{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|model",
            "missing messages|{\"model\":\"gpt-4o\"}|messages",
            "empty messages|{\"model\":\"gpt-4o\",\"messages\":[]}|messages",
            "unknown role|{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"robot\",\"content\":\"Hi\"}]}|messages[0].role",
            "temperature range|{\"model\":\"gpt-4o\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|temperature",
            "temperature type|{\"model\":\"gpt-4o\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|temperature",
            "max_tokens float|{\"model\":\"gpt-4o\",\"max_tokens\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|max_tokens",
            "max_completion_tokens zero|{\"model\":\"gpt-4o\",\"max_completion_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|max_completion_tokens",
            "n too large|{\"model\":\"gpt-4o\",\"n\":500,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|n",
            "stream type|{\"model\":\"gpt-4o\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|stream",
            "user content missing|{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\"}]}|messages[0].content",
            "tool message without id|{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}|messages[0].tool_call_id",
            "tool name|{\"model\":\"gpt-4o\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"bad name!\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|tools[0].function.name",
            "response_format type|{\"model\":\"gpt-4o\",\"response_format\":{\"type\":\"xml\"},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|response_format.type",
            "stop type|{\"model\":\"gpt-4o\",\"stop\":[1,2],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|stop",
            "content part without type|{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}|messages[0].content[0]",
    })
    void invalidFieldsAre400sNamingTheField(String name, String body, String param) {
        ValidatableResponse r = post(body).statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param))
                .body("error.message", containsString(param));
        assertEnvelope(r);
    }

    @Test
    void aMissingKeyIsA401() {
        ValidatableResponse r = given().contentType(ContentType.JSON).body(HI).when().post("/v1/chat/completions")
                .then().statusCode(401).body("error.code", equalTo("missing_api_key"));
        assertEnvelope(r);
    }

    @Test
    void aWrongKeyIsA401InEveryAcceptedHeader() {
        given().auth().oauth2("sk-wrong").contentType(ContentType.JSON).body(HI).when().post("/v1/chat/completions")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("api-key", "sk-wrong").contentType(ContentType.JSON).body(HI).when().post("/v1/chat/completions")
                .then().statusCode(401);
        given().header("x-api-key", "sk-wrong").contentType(ContentType.JSON).body(HI).when().post("/v1/chat/completions")
                .then().statusCode(401);
    }

    @Test
    void theKeyIsAcceptedInTheAzureAndAnthropicStyleHeadersToo() {
        given().header("api-key", MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(HI)
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().header("x-api-key", MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(HI)
                .when().post("/v1/chat/completions").then().statusCode(200);
    }

    @Test
    void aBodyOverTheLimitIsA413() {
        String big = "x".repeat(1_100_000); // the test limit is 1M
        ValidatableResponse r = post("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}")
                .statusCode(413).body("error.code", equalTo("request_too_large"));
        assertEnvelope(r);
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413Too() throws Exception {
        byte[] big = ("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(1_100_000) + "\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var request = dev.sluice.testing.Sse.post("/v1/chat/completions", "")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        var response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertEquals(413, response.statusCode());
        org.junit.jupiter.api.Assertions.assertEquals("request_too_large",
                new io.vertx.core.json.JsonObject(response.body()).getJsonObject("error").getString("code"));
    }

    @Test
    void anUnknownModelIsA404NamingIt() {
        post("{\"model\":\"llama-from-nowhere\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model"))
                .body("error.message", containsString("llama-from-nowhere"));
    }

    @Test
    void aModelOfAnUnconfiguredProviderIsA404NamingTheProviderAndTheSetting() {
        post("{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", containsString("deepseek"))
                .body("error.message", containsString("DEEPSEEK_API_KEY"));
    }

    @Test
    void anUpstream4xxKeepsItsStatusAndMessage() {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(400, "{\"error\":{\"message\":\"Invalid value for "
                + "'logit_bias'.\",\"type\":\"invalid_request_error\",\"param\":\"logit_bias\",\"code\":\"invalid_value\"}}"));
        post(HI).statusCode(400)
                .body("error.message", equalTo("Invalid value for 'logit_bias'."))
                .body("error.param", equalTo("logit_bias"))
                .body("error.code", equalTo("invalid_value"));
    }

    @Test
    void anUpstream429Is429WithRetryAfter() {
        MockUpstream.on("POST", COMPLETIONS, ctx -> ctx.response().setStatusCode(429)
                .putHeader("content-type", "application/json").putHeader("retry-after", "7")
                .end("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"));
        post(HI).statusCode(429).header("Retry-After", "7")
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("Rate limit reached"));
    }

    @Test
    void anUpstream5xxIs502NamingTheProvider() {
        post("{\"model\":\"broken/some-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(502)
                .body("error.type", equalTo("upstream_error"))
                .body("error.message", containsString("'broken'"))
                .body("error.message", containsString("HTTP 500"));
    }

    @Test
    void anUnreachableUpstreamIs502NamingTheProvider() {
        post("{\"model\":\"nowhere/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(502)
                .body("error.code", equalTo("upstream_unavailable"))
                .body("error.message", containsString("'nowhere'"))
                .body("error.message", not(containsString("127.0.0.1")));
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIs504() {
        post("{\"model\":\"slowpoke/m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode(504)
                .body("error.code", equalTo("upstream_timeout"))
                .body("error.message", containsString("'slowpoke'"));
    }

    @Test
    void anUpstreamThatAnswersGarbageIs502() {
        MockUpstream.on("POST", COMPLETIONS, ctx -> ctx.response().setStatusCode(200)
                .putHeader("content-type", "text/html").end("<html>maintenance</html>"));
        post(HI).statusCode(502).body("error.code", equalTo("upstream_bad_response"));
    }

    @Test
    void unknownRoutesAndMethodsUseTheEnvelopeToo() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/nope").then().statusCode(404)
                .body("error.code", equalTo("unknown_route"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/chat/completions").then().statusCode(405)
                .body("error.param", nullValue());
    }
}
