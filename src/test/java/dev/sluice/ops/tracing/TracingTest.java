package dev.sluice.ops.tracing;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Traces as an operator sees them in their tracing backend: one tree per request, with the request's span (the
 * HTTP server span) as root or as the child of the client's {@code traceparent}, a span per upstream attempt, and
 * the attempt's trace context sent upstream. Spans come from the SDK's in-memory exporter.
 */
@QuarkusTest
@TestProfile(TracingOnProfile.class)
@WithTestResource(MockUpstream.class)
class TracingTest {

    static final String TRACED = "/rt/traced/v1/chat/completions";
    static final String FALLBACK = "/rt/fallback-target/v1/chat/completions";
    /** Text that must never reach a span while content capture is off. */
    static final String PROMPT = "Summarise the plot of Moby-Dick in the voice of Captain Ahab";
    static final String ANSWER = "Call me Ishmael, said the narrator";
    static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reset").then().statusCode(200);
        spans.reset();
    }

    static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + PROMPT + "\"}]}";
    }

    @Test
    void aRetriedThenFallenBackRequestIsOneSpanTreeWithGenAiAttributesAndNoText() {
        MockUpstream.on("POST", TRACED, MockUpstream.serverError());
        MockUpstream.on("POST", FALLBACK, MockUpstream.json(200, MockUpstream.completion(ANSWER)
                .replace("gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18")));
        VirtualKeys.Key key = VirtualKeys.withCredit("traced", "10");

        Response r = ends(() -> VirtualKeys.chat(key, body("traced", false)));

        r.then().statusCode(200);
        assertEquals("3", r.header("x-sluice-attempts"));
        SpanData request = requestSpan(r.header("x-request-id"));
        assertEquals(SpanKind.SERVER, request.getKind());
        assertEquals("POST /v1/chat/completions", request.getName());
        assertFalse(request.getParentSpanContext().isValid(), "without a client traceparent the request is a root");
        List<SpanData> attempts = children(request, s -> s.getKind() == SpanKind.CLIENT);
        assertEquals(3, attempts.size(), "one span per attempt: " + names(attempts));

        // the retry and the fallback are visible, in order, each with what it was sent to and how it ended
        SpanData first = attempts.get(0);
        SpanData retry = attempts.get(1);
        SpanData fallback = attempts.get(2);
        assertEquals(List.of(1L, 2L, 3L), attempts.stream().map(s -> attr(s, "sluice.attempt", Long.class)).toList());
        for (SpanData failed : List.of(first, retry)) {
            assertEquals("chat gpt-4o", failed.getName());
            assertEquals("traced-1", attr(failed, "sluice.deployment", String.class));
            assertEquals("gpt-4o", attr(failed, "gen_ai.request.model", String.class));
            assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
            assertEquals("server_error", attr(failed, "error.type", String.class));
            assertEquals(500L, attr(failed, "http.response.status_code", Long.class));
        }
        assertEquals("chat gpt-4o-mini", fallback.getName());
        assertEquals("fallback-target-1", attr(fallback, "sluice.deployment", String.class));
        assertEquals("openai", attr(fallback, "gen_ai.system", String.class));
        assertEquals("openai", attr(fallback, "sluice.provider", String.class));
        assertEquals("chat", attr(fallback, "gen_ai.operation.name", String.class));
        assertEquals("gpt-4o-mini", attr(fallback, "gen_ai.request.model", String.class));
        assertEquals("gpt-4o-mini-2024-07-18", attr(fallback, "gen_ai.response.model", String.class));
        assertEquals(9L, attr(fallback, "gen_ai.usage.input_tokens", Long.class));
        assertEquals(2L, attr(fallback, "gen_ai.usage.output_tokens", Long.class));
        assertEquals(List.of("stop"), attr(fallback, "gen_ai.response.finish_reasons", List.class));
        assertEquals(StatusCode.OK, fallback.getStatus().getStatusCode());

        // the request span sums the exchange up
        assertEquals("openai", attr(request, "gen_ai.system", String.class));
        assertEquals("chat", attr(request, "gen_ai.operation.name", String.class));
        assertEquals("traced", attr(request, "gen_ai.request.model", String.class));
        assertEquals("gpt-4o-mini-2024-07-18", attr(request, "gen_ai.response.model", String.class));
        assertEquals(9L, attr(request, "gen_ai.usage.input_tokens", Long.class));
        assertEquals(2L, attr(request, "gen_ai.usage.output_tokens", Long.class));
        assertEquals(List.of("stop"), attr(request, "gen_ai.response.finish_reasons", List.class));
        assertEquals(key.id(), attr(request, "sluice.key_id", String.class));
        assertEquals("fallback-target-1", attr(request, "sluice.deployment", String.class));
        assertEquals(3L, attr(request, "sluice.attempts", Long.class));
        assertEquals(Double.parseDouble(r.header("x-sluice-cost-usd")), attr(request, "sluice.cost_usd", Double.class));

        // the ledger line of the request is a span of its own
        assertEquals(1, children(request, s -> s.getName().equals(Tracing.LEDGER_COMMIT)).size());

        // no prompt or completion text, no key, anywhere in the trace
        List<SpanData> trace = trace(request.getTraceId());
        assertNoneContains(trace, PROMPT);
        assertNoneContains(trace, "Moby-Dick");
        assertNoneContains(trace, ANSWER);
        assertNoneContains(trace, key.secret());
        assertNoneContains(trace, MockUpstream.MASTER_KEY);
        assertNoneContains(trace, "Bearer");
    }

    @Test
    void aClientTraceparentIsTheRequestsParentAndEachAttemptsTraceGoesUpstream() {
        MockUpstream.on("POST", TRACED, MockUpstream.serverError());
        String traceparent = "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01";

        Response r = ends(() -> given().auth().oauth2(MockUpstream.MASTER_KEY)
                .header("traceparent", traceparent).contentType(ContentType.JSON).body(body("traced", false))
                .post("/v1/chat/completions"));

        r.then().statusCode(200);
        SpanData request = requestSpan(r.header("x-request-id"));
        assertEquals(CLIENT_TRACE, request.getTraceId(), "the request joins the client's trace");
        assertEquals(CLIENT_SPAN, request.getParentSpanId(), "as the child of the client's span");
        List<SpanData> attempts = children(request, s -> s.getKind() == SpanKind.CLIENT);
        assertEquals(3, attempts.size());

        // every attempt sends its own span as the upstream's parent, in the client's trace
        List<MockUpstream.Received> sent = MockUpstream.received().stream()
                .filter(x -> x.path().equals(TRACED) || x.path().equals(FALLBACK)).toList();
        assertEquals(3, sent.size());
        for (int i = 0; i < 3; i++) {
            String upstream = sent.get(i).headers().get("traceparent");
            assertNotNull(upstream, "attempt " + (i + 1) + " carries a traceparent");
            assertEquals("00-" + CLIENT_TRACE + "-" + attempts.get(i).getSpanId() + "-01", upstream,
                    "attempt " + (i + 1) + " names its own span");
        }
    }

    @Test
    void aStreamedAttemptsSpanLastsUntilTheStreamEndsAndCarriesItsUsage() {
        String usageChunk = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";
        MockUpstream.on("POST", "/rt/solo/v1/chat/completions", MockUpstream.sse(java.time.Duration.ZERO,
                MockUpstream.chunk("{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}", null),
                MockUpstream.chunk("{}", "length"), usageChunk, "[DONE]"));

        Response r = ends(() -> given().auth().oauth2(MockUpstream.MASTER_KEY)
                .contentType(ContentType.JSON).body(body("solo", true)).post("/v1/chat/completions"));

        r.then().statusCode(200);
        assertTrue(r.asString().contains("[DONE]"));
        SpanData request = requestSpan(r.header("x-request-id"));
        List<SpanData> attempts = children(request, s -> s.getKind() == SpanKind.CLIENT);
        assertEquals(1, attempts.size());
        SpanData attempt = attempts.get(0);
        assertEquals(StatusCode.OK, attempt.getStatus().getStatusCode());
        assertEquals(12L, attr(attempt, "gen_ai.usage.input_tokens", Long.class));
        assertEquals(3L, attr(attempt, "gen_ai.usage.output_tokens", Long.class));
        assertEquals("gpt-4o-2024-08-06", attr(request, "gen_ai.response.model", String.class));
        assertEquals(List.of("length"), attr(request, "gen_ai.response.finish_reasons", List.class));
        assertEquals(15L, attr(request, "gen_ai.usage.input_tokens", Long.class)
                + attr(request, "gen_ai.usage.output_tokens", Long.class));
        assertNoneContains(trace(request.getTraceId()), ANSWER);
        assertNoneContains(trace(request.getTraceId()), PROMPT);
    }

    @Test
    void eachPageFetchedForWebExtractIsASpanNamingItsHostOnly() {
        MockUpstream.on("GET", "/pages/tides", MockUpstream.html("<html><head><title>Tides</title></head><body><main>"
                + "<h1>Tides</h1><p>Spring tides occur at new moon and full moon, when the pull of the Sun and the "
                + "Moon adds up.</p></main></body></html>"));
        String page = MockUpstream.pageUrl("/pages/tides?token=page-secret-42");
        String missing = MockUpstream.pageUrl("/pages/nowhere");
        String body = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"When do spring "
                + "tides occur?\"}],\"web_extract\":{\"urls\":[\"" + page + "\",\"" + missing + "\"]}}";

        Response r = ends(() -> given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body).post("/v1/chat/completions"));

        r.then().statusCode(200);
        SpanData request = requestSpan(r.header("x-request-id"));
        List<SpanData> pages = children(request, s -> s.getName().equals(Tracing.PAGE_FETCH));
        assertEquals(2, pages.size(), "one span per page: " + names(trace(request.getTraceId())));
        SpanData read = pages.stream().filter(s -> attr(s, "sluice.page", Long.class) == 1L).findFirst().orElseThrow();
        SpanData failed = pages.stream().filter(s -> attr(s, "sluice.page", Long.class) == 2L).findFirst().orElseThrow();
        assertEquals("127.0.0.2", attr(read, "server.address", String.class));
        assertEquals(StatusCode.UNSET, read.getStatus().getStatusCode());
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
        assertNotNull(attr(failed, "error.type", String.class));
        assertNoneContains(trace(request.getTraceId()), "page-secret-42");
        assertNoneContains(trace(request.getTraceId()), "/pages/");
        assertNoneContains(trace(request.getTraceId()), "spring tides");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The response of a call that must end (generously bounded: proves it does not hang, not how fast it is). */
    private static Response ends(org.junit.jupiter.api.function.ThrowingSupplier<Response> call) {
        return assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), call);
    }

    /** The request's span, once exported (the server span ends after the response's last byte). */
    private SpanData requestSpan(String requestId) {
        assertNotNull(requestId);
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
        return fail("no request span for " + requestId + " among " + names(spans.getFinishedSpanItems()));
    }

    private List<SpanData> children(SpanData parent, Predicate<SpanData> which) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(parent.getSpanId()) && which.test(s))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .toList();
    }

    private List<SpanData> trace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static <T> T attr(SpanData span, String name, Class<T> type) {
        for (Map.Entry<AttributeKey<?>, Object> e : span.getAttributes().asMap().entrySet()) {
            if (e.getKey().getKey().equals(name)) {
                return type.cast(e.getValue());
            }
        }
        return fail("span '" + span.getName() + "' has no attribute " + name + ": " + span.getAttributes());
    }

    private static void assertNoneContains(List<SpanData> trace, String text) {
        for (SpanData s : trace) {
            assertFalse(s.getName().contains(text), s.getName());
            s.getAttributes().forEach((k, v) -> assertFalse(String.valueOf(v).contains(text),
                    "span '" + s.getName() + "' attribute " + k + " holds '" + text + "'"));
            s.getEvents().forEach(e -> {
                assertFalse(e.getName().contains(text));
                e.getAttributes().forEach((k, v) -> assertFalse(String.valueOf(v).contains(text),
                        "span '" + s.getName() + "' event " + e.getName() + " holds '" + text + "'"));
            });
        }
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(s -> s.getName() + "(" + s.getKind() + ")").toList();
    }
}
