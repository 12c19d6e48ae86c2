package dev.sluice.ops.tracing;

import dev.sluice.testing.MockUpstream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code sluice.tracing.capture-content}: the prompt and the completion on the request span, each capped. */
@QuarkusTest
@TestProfile(TracingContentTest.CaptureContent.class)
@WithTestResource(MockUpstream.class)
class TracingContentTest {

    public static class CaptureContent extends TracingOnProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("sluice.tracing.capture-content", "true");
            config.put("sluice.tracing.content-limit", "40");
            return config;
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void whenAskedForThePromptAndCompletionAreOnTheRequestSpanCappedToTheLimit() {
        MockUpstream.reset();
        spans.reset();
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.json(200,
                MockUpstream.completion("The whale wins, and the sea keeps everything it was given in the end")));

        String requestId = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Who wins at the "
                        + "end of Moby-Dick, and what happens to the Pequod and its crew?\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().header("x-request-id");

        SpanData request = requestSpan(requestId);
        String input = request.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"));
        String output = request.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages"));
        assertNotNull(input);
        assertNotNull(output);
        assertTrue(input.contains("Who wins"), input);
        assertEquals(40, input.length(), "capped: " + input);
        assertEquals("The whale wins, and the sea keeps everyt", output);
    }

    private SpanData requestSpan(String requestId) {
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until) {
            for (SpanData s : spans.getFinishedSpanItems()) {
                if (requestId.equals(s.getAttributes().get(AttributeKey.stringKey("sluice.request_id")))) {
                    return s;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("no request span for " + requestId);
    }
}
