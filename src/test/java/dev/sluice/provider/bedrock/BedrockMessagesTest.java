package dev.sluice.provider.bedrock;

import dev.sluice.billing.LedgerRows;
import dev.sluice.store.Database;
import dev.sluice.testing.EventStream;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.sluice.provider.bedrock.BedrockAnthropicFixtures.COUNT_TOKENS;
import static dev.sluice.provider.bedrock.BedrockAnthropicFixtures.EVENTS;
import static dev.sluice.provider.bedrock.BedrockAnthropicFixtures.INVOKE;
import static dev.sluice.provider.bedrock.BedrockAnthropicFixtures.INVOKE_STREAM;
import static dev.sluice.provider.bedrock.BedrockAnthropicFixtures.MESSAGE;
import static dev.sluice.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/messages} served by Claude on Bedrock: the client's Messages body passed through to InvokeModel
 * (asserted field by field as Bedrock receives it, SigV4-signed), the answer and the event stream relayed to the
 * client as Bedrock sent them, failures in Anthropic's shape before and inside the stream, billing from the usage
 * the events report, a group falling back from Bedrock to Anthropic, count_tokens through CountTokens — and a
 * Bedrock model that is not Anthropic's still translated through Converse.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class BedrockMessagesTest {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String ANTHROPIC = "/anthropic/v1/messages";

    /** What Claude Code sends, and fields Sluice knows nothing of. */
    static final String REQUEST = "{\"model\":\"bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0\",\"max_tokens\":1024,"
            + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512},"
            + "\"system\":[{\"type\":\"text\",\"text\":\"You are a weather bot.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
            + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Current weather\",\"input_schema\":{\"type\":\"object\","
            + "\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]},"
            + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"tool_choice\":{\"type\":\"auto\"},"
            + "\"context_management\":{\"edits\":[{\"type\":\"clear_tool_uses_20250919\"}]},"
            + "\"metadata\":{\"user_id\":\"user_42\"},\"future_field\":{\"x\":[1,2.50]},"
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather in SF and Paris?\"}]}]}";
    static final String BETAS = "interleaved-thinking-2025-05-14,context-management-2025-06-27";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + io.restassured.RestAssured.port
                        + path)).timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        boolean keyed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            keyed |= headers[i].equals("x-api-key");
        }
        if (!keyed) {
            b.header("x-api-key", MockUpstream.MASTER_KEY);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body Bedrock must receive for {@link #REQUEST}. */
    static final String INVOKE_BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\","
            + "\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\",\"context-management-2025-06-27\"],"
            + REQUEST.substring(REQUEST.indexOf("\"max_tokens\""));

    // ---- whole answers -----------------------------------------------------------------------------------------

    @Test
    void aWholeAnswerPassesThroughInvokeModelSignedAndComesBackAsBedrockSentIt() throws Exception {
        MockUpstream.on("POST", INVOKE, MockUpstream.json(200, MESSAGE));
        HttpResponse<String> r = post("/v1/messages", REQUEST, "anthropic-version", "2023-06-01",
                "anthropic-beta", BETAS);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(MESSAGE, r.body(), "the answer is relayed byte for byte");
        assertTrue(r.headers().firstValue("x-sluice-dropped").isEmpty(), "nothing is dropped in a pass-through");
        MockUpstream.Received sent = MockUpstream.last(INVOKE);
        assertEquals("POST", sent.method());
        assertEquals("application/json", sent.headers().get("content-type"));
        BedrockAdapterTest.assertSigned(sent, "bedrock");
        assertEquals(INVOKE_BODY, sent.body(), "no model, no stream; Bedrock's version, the betas, every other field "
                + "as the client wrote it");
        assertFalse(sent.headers().contains("anthropic-version"), "Anthropic's headers become body fields on Bedrock");
        assertFalse(sent.headers().contains("anthropic-beta"));
        assertFalse(sent.headers().contains("x-api-key"));
    }

    @Test
    void aBedrockModelThatIsNotAnthropicsIsStillTranslatedThroughConverse() throws Exception {
        String converse = "/bedrock/model/amazon.nova-pro-v1%3A0/converse";
        MockUpstream.on("POST", converse, MockUpstream.json(200, BedrockFixtures.TEXT));
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"bedrock/amazon.nova-pro-v1:0\",\"max_tokens\":100,"
                + "\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(200, r.statusCode(), r.body());
        JsonObject message = new JsonObject(r.body());
        assertEquals("message", message.getString("type"));
        assertEquals("end_turn", message.getString("stop_reason"));
        assertTrue(message.getJsonArray("content").getJsonObject(0).getString("text").startsWith("The song"), r.body());
        assertEquals(30, message.getJsonObject("usage").getInteger("input_tokens"));
        assertJson("{\"system\": [{\"text\": \"Be brief.\"}], \"messages\": [{\"role\": \"user\", \"content\": "
                + "[{\"text\": \"Hi\"}]}], \"inferenceConfig\": {\"maxTokens\": 100}}", MockUpstream.last(converse).body());
        assertTrue(MockUpstream.received().stream().noneMatch(q -> q.path().endsWith("/invoke")));
    }

    // ---- streams -----------------------------------------------------------------------------------------------

    @Test
    void aMultiBlockStreamComesBackAsAnthropicsEventsEventForEvent() throws Exception {
        String stream = REQUEST.replace("\"max_tokens\":1024,", "\"max_tokens\":1024,\"stream\":true,");
        MockUpstream.on("POST", INVOKE_STREAM, EventStream.reply(Duration.ofMillis(2),
                BedrockAnthropicFixtures.frames(EVENTS)));
        HttpResponse<String> r = post("/v1/messages", stream, "anthropic-beta", BETAS);

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"),
                r.headers().map().toString());
        assertEquals(BedrockAnthropicFixtures.sse(EVENTS), r.body(),
                "every event as Bedrock sent it, invocation metrics on message_stop included");
        MockUpstream.Received sent = MockUpstream.last(INVOKE_STREAM);
        BedrockAdapterTest.assertSigned(sent, "bedrock");
        assertEquals("application/vnd.amazon.eventstream", sent.headers().get("accept"));
        assertEquals(INVOKE_BODY, sent.body(), "the stream flag is the operation's, not the body's");

        // the same frames cut at arbitrary points on the wire
        MockUpstream.on("POST", INVOKE_STREAM, EventStream.replySplit(BedrockAnthropicFixtures.frames(EVENTS), 7));
        assertEquals(BedrockAnthropicFixtures.sse(EVENTS), post("/v1/messages", stream).body());
    }

    @Test
    void anExceptionFrameInTheStreamBecomesAnAnthropicErrorEvent() throws Exception {
        List<byte[]> frames = new ArrayList<>(BedrockAnthropicFixtures.frames(EVENTS.subList(0, 8)));
        frames.add(EventStream.exception("modelStreamErrorException",
                "{\"message\":\"The model stream was interrupted\",\"originalStatusCode\":500}"));
        MockUpstream.on("POST", INVOKE_STREAM, EventStream.reply(Duration.ZERO, frames));
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"bedrock/" + BedrockAnthropicFixtures.MODEL
                + "\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        String relayed = BedrockAnthropicFixtures.sse(EVENTS.subList(0, 8));
        assertTrue(r.body().startsWith(relayed), r.body());
        String tail = r.body().substring(relayed.length());
        assertTrue(tail.startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","), tail);
        assertTrue(tail.contains("The model stream was interrupted"), tail);
        assertTrue(tail.endsWith("\n\n") && tail.indexOf("event:", 1) < 0, "the error event ends the stream: " + tail);
    }

    @Test
    void aStreamCutBeforeMessageStopEndsWithAnErrorEvent() throws Exception {
        List<byte[]> frames = BedrockAnthropicFixtures.frames(EVENTS.subList(0, 12));
        MockUpstream.on("POST", INVOKE_STREAM, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
            frames.forEach(f -> ctx.response().write(io.vertx.core.buffer.Buffer.buffer(f)));
            MockUpstream.vertx().setTimer(50, t -> ctx.request().connection().close());
        });
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"bedrock/" + BedrockAnthropicFixtures.MODEL
                + "\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        String relayed = BedrockAnthropicFixtures.sse(EVENTS.subList(0, 12));
        assertTrue(r.body().startsWith(relayed), r.body());
        assertTrue(r.body().substring(relayed.length()).startsWith("event: error\ndata: {\"type\":\"error\","
                + "\"error\":{\"type\":\"api_error\""), r.body());
    }

    @Test
    void refusalsBeforeTheStreamKeepTheirStatusInAnthropicsShape() throws Exception {
        MockUpstream.on("POST", INVOKE_STREAM, ctx -> ctx.response().setStatusCode(429)
                .putHeader("content-type", "application/json").putHeader("x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
                .end(BedrockFixtures.error("Too many requests, please wait before trying again.")));
        HttpResponse<String> limited = post("/v1/messages", "{\"model\":\"bedrock/" + BedrockAnthropicFixtures.MODEL
                + "\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(429, limited.statusCode(), limited.body());
        JsonObject error = new JsonObject(limited.body());
        assertEquals("error", error.getString("type"));
        assertEquals("rate_limit_error", error.getJsonObject("error").getString("type"));
        assertTrue(error.getJsonObject("error").getString("message").contains("Too many requests"), limited.body());

        MockUpstream.on("POST", INVOKE, ctx -> ctx.response().setStatusCode(400)
                .putHeader("content-type", "application/json").putHeader("x-amzn-errortype", "ValidationException")
                .end(BedrockFixtures.error("messages.0.content: Input should be a valid list")));
        HttpResponse<String> invalid = post("/v1/messages", "{\"model\":\"bedrock/" + BedrockAnthropicFixtures.MODEL
                + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(400, invalid.statusCode(), invalid.body());
        assertEquals("invalid_request_error", new JsonObject(invalid.body()).getJsonObject("error").getString("type"));
        assertTrue(invalid.body().contains("Input should be a valid list"), invalid.body());
    }

    // ---- billing -----------------------------------------------------------------------------------------------

    @Test
    void aPrepaidKeyIsBilledTheUsageTheEventsReportCacheReadsAndWritesIncluded() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("bedrock-messages-stream", "1");
        MockUpstream.on("POST", "/bedrock/model/anthropic.claude-test/invoke-with-response-stream",
                EventStream.reply(Duration.ZERO, BedrockAnthropicFixtures.frames(EVENTS)));
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"bedrock/anthropic.claude-test\",\"max_tokens\":1000,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}", "x-api-key", key.secret());
        assertEquals(BedrockAnthropicFixtures.sse(EVENTS), r.body());

        Map<String, Object> row = onlyRow(key.id());
        assertEquals(1300L, ((Number) row.get("prompt_tokens")).longValue(), "input + cache reads + cache writes");
        assertEquals(200L, ((Number) row.get("cached_tokens")).longValue());
        assertEquals(500L, ((Number) row.get("completion_tokens")).longValue());
        // 1000 uncached x 1 + 200 cached x 0.5 + 100 written x 1.25 + 500 output x 2 micro-dollars
        assertEquals(2225L, ((Number) row.get("cost_micros")).longValue());
        assertEquals(0, ((Number) row.get("estimated")).intValue());
        assertBalance(key.id(), 1_000_000L - 2225L);

        VirtualKeys.Key whole = VirtualKeys.withCredit("bedrock-messages-whole", "1");
        MockUpstream.on("POST", "/bedrock/model/anthropic.claude-test/invoke", MockUpstream.json(200, MESSAGE));
        assertEquals(MESSAGE, post("/v1/messages", "{\"model\":\"bedrock/anthropic.claude-test\",\"max_tokens\":1000,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}", "x-api-key", whole.secret()).body());
        assertEquals(2225L, ((Number) onlyRow(whole.id()).get("cost_micros")).longValue());
        assertBalance(whole.id(), 1_000_000L - 2225L);
    }

    private Map<String, Object> onlyRow(String keyId) throws InterruptedException {
        List<Map<String, Object>> rows = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rows.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            rows = LedgerRows.requests(LedgerRows.forKey(db, keyId));
        }
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private void assertBalance(String keyId, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (LedgerRows.balance(db, keyId) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, LedgerRows.balance(db, keyId));
    }

    // ---- routing -----------------------------------------------------------------------------------------------

    @Test
    void aGroupFallsBackFromClaudeOnBedrockToAnthropicPassingThroughToEach() throws Exception {
        String request = REQUEST.replace("bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-bedrock-first");
        MockUpstream.on("POST", INVOKE, MockUpstream.json(200, MESSAGE));
        HttpResponse<String> first = post("/v1/messages", request, "anthropic-beta", BETAS);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("claude-on-bedrock", first.headers().firstValue("x-sluice-deployment").orElse(null));
        assertEquals(MESSAGE, first.body());
        assertEquals(INVOKE_BODY, MockUpstream.last(INVOKE).body());

        MockUpstream.on("POST", INVOKE, ctx -> ctx.response().setStatusCode(500)
                .putHeader("content-type", "application/json").putHeader("x-amzn-errortype", "InternalServerException")
                .end(BedrockFixtures.error("Internal failure")));
        String answer = MESSAGE.replace("msg_bdrk_", "msg_");
        MockUpstream.on("POST", ANTHROPIC, MockUpstream.json(200, answer));
        HttpResponse<String> fallback = post("/v1/messages", request, "anthropic-version", "2023-06-01",
                "anthropic-beta", BETAS);
        assertEquals(200, fallback.statusCode(), fallback.body());
        assertEquals("claude-on-anthropic", fallback.headers().firstValue("x-sluice-deployment").orElse(null));
        assertEquals(answer, fallback.body(), "Anthropic's answer, relayed as it came");
        MockUpstream.Received anthropic = MockUpstream.last(ANTHROPIC);
        assertEquals(request.replace("claude-bedrock-first", "claude-sonnet-4-5-20250929"), anthropic.body(),
                "the client's own bytes, only the model changed");
        assertEquals(BETAS, anthropic.headers().get("anthropic-beta"));
        assertEquals("2023-06-01", anthropic.headers().get("anthropic-version"));
    }

    // ---- count_tokens ------------------------------------------------------------------------------------------

    @Test
    void countTokensIsExactThroughCountTokensAndAnEstimateWhereBedrockDoesNotCount() throws Exception {
        MockUpstream.on("POST", COUNT_TOKENS, MockUpstream.json(200, "{\"inputTokens\":2095}"));
        String body = "{\"model\":\"bedrock/" + BedrockAnthropicFixtures.MODEL + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hello, world\"}],\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}]}";
        HttpResponse<String> exact = post("/v1/messages/count_tokens", body, "anthropic-beta", "token-counting-2024-11-01");
        assertEquals(200, exact.statusCode(), exact.body());
        assertEquals("{\"input_tokens\":2095}", exact.body());
        assertEquals("exact", exact.headers().firstValue("x-sluice-token-count").orElse(null));
        MockUpstream.Received sent = MockUpstream.last(COUNT_TOKENS);
        BedrockAdapterTest.assertSigned(sent, "bedrock");
        JsonObject envelope = new JsonObject(sent.body());
        assertEquals(1, envelope.size());
        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"token-counting-2024-11-01\"],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}],"
                        + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],\"max_tokens\":1}",
                new String(Base64.getDecoder().decode(envelope.getJsonObject("input").getJsonObject("invokeModel")
                        .getString("body")), StandardCharsets.UTF_8));

        MockUpstream.on("POST", COUNT_TOKENS, ctx -> ctx.response().setStatusCode(400)
                .putHeader("content-type", "application/json").putHeader("x-amzn-errortype", "ValidationException")
                .end(BedrockFixtures.error("The provided model doesn't support counting tokens.")));
        HttpResponse<String> estimate = post("/v1/messages/count_tokens", body);
        assertEquals(200, estimate.statusCode(), estimate.body());
        assertEquals("estimate", estimate.headers().firstValue("x-sluice-token-count").orElse(null));
        long tokens = new JsonObject(estimate.body()).getLong("input_tokens");
        assertTrue(tokens > 3 && tokens < 60, estimate.body());

        MockUpstream.on("POST", COUNT_TOKENS, ctx -> ctx.response().setStatusCode(403)
                .putHeader("content-type", "application/json").putHeader("x-amzn-errortype", "AccessDeniedException")
                .end(BedrockFixtures.error("User is not authorized to perform: bedrock:CountTokens")));
        HttpResponse<String> unauthorised = post("/v1/messages/count_tokens", body);
        assertEquals(200, unauthorised.statusCode(), unauthorised.body());
        assertEquals("estimate", unauthorised.headers().firstValue("x-sluice-token-count").orElse(null),
                "credentials that may invoke but not count get the estimate");

        MockUpstream.on("POST", COUNT_TOKENS, ctx -> ctx.response().setStatusCode(400)
                .putHeader("content-type", "application/json").putHeader("x-amzn-errortype", "ValidationException")
                .end(BedrockFixtures.error("messages: at least one message is required")));
        HttpResponse<String> invalid = post("/v1/messages/count_tokens", body);
        assertEquals(400, invalid.statusCode(), "a request Bedrock finds invalid is not estimated: " + invalid.body());
        assertEquals("invalid_request_error", new JsonObject(invalid.body()).getJsonObject("error").getString("type"));
    }
}
