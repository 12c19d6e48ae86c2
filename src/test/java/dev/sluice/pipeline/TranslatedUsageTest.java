package dev.sluice.pipeline;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Usage survives translation: whatever a native adapter's client asked for, the exchange finishes knowing the
 * provider's token counts (Anthropic reports input tokens in message_start and output tokens in message_delta),
 * so billing and metrics see them even when the client did not ask for the usage chunk.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class TranslatedUsageTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        RecordingInterceptor.FINISHED.clear();
    }

    private static String body(String user, boolean stream) {
        return "{\"model\": \"anthropic/claude-sonnet-4-5\", \"user\": \"" + user + "\", \"stream\": " + stream
                + ", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
    }

    @Test
    void anthropicUsageIsRecordedForAnswersAndForStreamsWithoutIncludeUsage() throws Exception {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body("interceptor-test-anthropic-whole", false))
                .when().post("/v1/chat/completions").then().statusCode(200);
        Sse.Result streamed = Sse.send(Sse.post("/v1/chat/completions",
                body("interceptor-test-anthropic-stream", true)).build());
        assertTrue(streamed.chunks().stream().noneMatch(c -> c.containsKey("usage")),
                "the client did not ask for the usage chunk");

        assertEquals(2, RecordingInterceptor.FINISHED.size(), RecordingInterceptor.FINISHED.toString());
        for (RecordingInterceptor.Finished finished : RecordingInterceptor.FINISHED) {
            assertEquals(Outcome.Status.SUCCEEDED, finished.status());
            assertEquals("anthropic", finished.provider());
            JsonObject usage = new JsonObject(finished.usage());
            assertEquals(9, usage.getInteger("prompt_tokens"), finished.toString());
            assertEquals(2, usage.getInteger("completion_tokens"), finished.toString());
            assertEquals(11, usage.getInteger("total_tokens"), finished.toString());
        }
    }
}
