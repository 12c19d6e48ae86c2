package dev.sluice.ops.tracing;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tracing turned on the way operators do it, by naming an OTLP endpoint (here the mock upstream, over OTLP/HTTP):
 * the request's spans reach the collector, and what is exported holds neither the prompt nor a key.
 */
@QuarkusTest
@TestProfile(TracingExportTest.OtlpEndpoint.class)
@WithTestResource(MockUpstream.class)
class TracingExportTest {

    public static class OtlpEndpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sluice.tracing.otlp-endpoint", "${mock.url}",
                    "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                    "quarkus.otel.bsp.schedule.delay", "10ms");
        }
    }

    static final String PROMPT = "Describe the white whale's scars one by one";

    @Test
    void anOtlpEndpointTurnsTracingOnAndTheRequestsSpansAreExportedThere() {
        MockUpstream.reset();
        MockUpstream.on("POST", "/v1/traces", ctx -> ctx.response().putHeader("content-type",
                "application/x-protobuf").end());

        String requestId = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().header("x-request-id");

        assertNotNull(MockUpstream.last("/openai/v1/chat/completions").headers().get("traceparent"),
                "with an endpoint configured, the upstream receives a traceparent");
        List<MockUpstream.Received> exports = exportsHolding(requestId);
        for (MockUpstream.Received export : exports) {
            assertEquals("application/x-protobuf", export.headers().get("content-type"));
            assertFalse(export.body().contains(PROMPT), "no prompt text leaves in a span");
            assertFalse(export.body().contains(MockUpstream.MASTER_KEY), "no key leaves in a span");
            assertFalse(export.body().contains(MockUpstream.OPENAI_KEY), "no upstream key leaves in a span");
        }
    }

    /** The exports received so far, once one of them holds the request's id (its spans were exported). */
    private static List<MockUpstream.Received> exportsHolding(String requestId) {
        long until = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < until) {
            List<MockUpstream.Received> exports = MockUpstream.received().stream()
                    .filter(r -> r.path().equals("/v1/traces")).toList();
            if (exports.stream().anyMatch(r -> r.body().contains(requestId))) {
                return exports;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("no OTLP export holding request " + requestId + " reached the collector; received: "
                + MockUpstream.received().stream().map(MockUpstream.Received::path).toList());
    }
}
