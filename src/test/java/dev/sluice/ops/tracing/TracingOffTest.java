package dev.sluice.ops.tracing;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The default: no OTLP endpoint, no traces. Tracing is off (the SDK disabled, so Quarkus installs no tracer), and
 * upstreams receive no trace context, not even the one a client sent (Sluice does not forward client headers).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class TracingOffTest {

    @Inject
    Tracing tracing;

    @Test
    void withoutAnEndpointNothingIsTracedAndNoTraceContextGoesUpstream() {
        MockUpstream.reset();

        given().auth().oauth2(MockUpstream.MASTER_KEY).header("traceparent",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);

        assertFalse(tracing.enabled());
        MockUpstream.Received sent = MockUpstream.last("/openai/v1/chat/completions");
        assertNull(sent.headers().get("traceparent"));
        assertNull(sent.headers().get("tracestate"));
    }
}
