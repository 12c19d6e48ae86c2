package dev.sluice.api.messages;

import dev.sluice.billing.LedgerRows;
import dev.sluice.store.Database;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.sluice.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /v1/messages} over HTTP: translated to an OpenAI-protocol upstream and back, passed through to an
 * Anthropic upstream byte for byte, errors in Anthropic's shape, count_tokens, and the Claude Code headers.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class MessagesApiTest {

    static final String OPENAI = "/openai/v1/chat/completions";
    static final String ANTHROPIC = "/anthropic/v1/messages";
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
            keyed |= headers[i].equals("x-api-key") || headers[i].equals("authorization");
        }
        if (!keyed) {
            b.header("x-api-key", MockUpstream.MASTER_KEY);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- translated: an OpenAI-protocol upstream --------------------------------------------------------------

    @Test
    void translatedToAnOpenAiUpstreamAndBack() throws Exception {
        MockUpstream.on("POST", OPENAI, MockUpstream.json(200, """
                {"id": "chatcmpl-7", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                   "content": "Let me look.", "tool_calls": [{"id": "call_9", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\\"location\\": \\"Paris\\"}"}}]}}],
                 "usage": {"prompt_tokens": 50, "completion_tokens": 12, "total_tokens": 62}}
                """));
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "gpt-4o-mini", "max_tokens": 300, "system": [{"type": "text", "text": "Be brief.",
                  "cache_control": {"type": "ephemeral"}}],
                 "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
                 "thinking": {"type": "adaptive"},
                 "messages": [{"role": "user", "content": "Weather in Paris?"}]}
                """, "anthropic-beta", "interleaved-thinking-2025-05-14", "x-claude-code-session-id", "sess-1");
        assertEquals(200, r.statusCode(), r.body());
        assertJson("""
                {"id": "msg_chatcmpl-7", "type": "message", "role": "assistant", "model": "gpt-4o-mini",
                 "content": [{"type": "text", "text": "Let me look."},
                             {"type": "tool_use", "id": "call_9", "name": "get_weather", "input": {"location": "Paris"}}],
                 "stop_reason": "tool_use", "stop_sequence": null,
                 "usage": {"input_tokens": 50, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                           "output_tokens": 12}}
                """, r.body());
        assertEquals("cache_control, thinking", r.headers().firstValue("x-sluice-dropped").orElse(null));
        assertTrue(r.headers().firstValue("request-id").orElse("").startsWith("req_"), r.headers().map().toString());
        MockUpstream.Received sent = MockUpstream.last(OPENAI);
        assertJson("""
                {"model": "gpt-4o-mini", "max_tokens": 300,
                 "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather in Paris?"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]}
                """, sent.body());
        assertNull(sent.headers().get("anthropic-beta"), "betas go to Anthropic only");
        assertEquals("Bearer " + MockUpstream.OPENAI_KEY, sent.headers().get("authorization"));
    }

    @Test
    void translatedStreamIsAnthropicsEventSequence() throws Exception {
        MockUpstream.on("POST", OPENAI, MockUpstream.sse(Duration.ZERO,
                MockUpstream.chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                MockUpstream.chunk("{\"content\":\"Hello\"}", null),
                MockUpstream.chunk("{\"content\":\" there\"}", null),
                MockUpstream.chunk("{}", "stop"),
                MockUpstream.usageChunk(9, 2)));
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "gpt-4o-mini", "max_tokens": 30, "stream": true,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> types = eventTypes(r.body());
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), types);
        assertTrue(r.body().contains("\"usage\":{\"input_tokens\":9,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":2}"), r.body());
        assertFalse(r.body().contains("[DONE]"));
        assertTrue(MockUpstream.last(OPENAI).json().getJsonObject("stream_options").getBoolean("include_usage"));
    }

    @Test
    void anUpstreamStreamCutShortEndsWithAnErrorEvent() throws Exception {
        MockUpstream.on("POST", OPENAI, MockUpstream.truncatedStream(
                MockUpstream.chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null)));
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "gpt-4o-mini", "max_tokens": 30, "stream": true, "messages": [{"role": "user", "content": "Hi"}]}
                """);
        List<String> types = eventTypes(r.body());
        assertEquals("message_start", types.get(0));
        assertEquals("error", types.get(types.size() - 1), r.body());
        assertFalse(types.contains("message_stop"), "a cut stream must not look complete");
    }

    @Test
    void serverToolsAreRefusedForAnotherProtocol() throws Exception {
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "gpt-4o-mini", "max_tokens": 30, "messages": [{"role": "user", "content": "news?"}],
                 "tools": [{"type": "web_search_20250305", "name": "web_search"}]}
                """);
        assertEquals(400, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals("error", body.getString("type"));
        assertEquals("invalid_request_error", body.getJsonObject("error").getString("type"));
        assertTrue(body.getJsonObject("error").getString("message").startsWith("tools.0.type:"), r.body());
        assertEquals(0, MockUpstream.count(OPENAI));
    }

    // ---- passed through: an Anthropic upstream ----------------------------------------------------------------

    static final String MESSAGE = "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Simple.\","
            + "\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"},{\"type\":\"server_tool_use\","
            + "\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"sluice\"}},{\"type\":\"text\","
            + "\"text\":\"Hello!\",\"citations\":null}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":100,"
            + "\"output_tokens\":6,\"server_tool_use\":{\"web_search_requests\":1},\"service_tier\":\"standard\"}}";

    @Test
    void passedThroughToAnthropicByteForByte() throws Exception {
        MockUpstream.on("POST", ANTHROPIC, MockUpstream.json(200, MESSAGE));
        String request = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":1024,"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"container\":\"c_1\","
                + "\"mcp_servers\":[{\"type\":\"url\",\"url\":\"https://mcp.example.com/sse\",\"name\":\"ex\"}],"
                + "\"context_management\":{\"edits\":[]},\"future_field\":{\"x\":1},"
                + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";
        HttpResponse<String> r = post("/v1/messages", request, "anthropic-version", "2023-06-01",
                "anthropic-beta", "mcp-client-2025-04-04,context-management-2025-06-27");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(MESSAGE, r.body(), "the answer is relayed as it came");
        assertTrue(r.headers().firstValue("x-sluice-dropped").isEmpty(), "nothing is dropped in a pass-through");
        MockUpstream.Received sent = MockUpstream.last(ANTHROPIC);
        assertEquals(request, sent.body(), "the client's bytes, the model unchanged");
        assertEquals("mcp-client-2025-04-04,context-management-2025-06-27", sent.headers().get("anthropic-beta"));
        assertEquals("2023-06-01", sent.headers().get("anthropic-version"));
        assertEquals(MockUpstream.ANTHROPIC_KEY, sent.headers().get("x-api-key"), "the provider's key, not the client's");
    }

    @Test
    void passedThroughWithAnotherModelNameOnlyTheModelChanges() throws Exception {
        MockUpstream.on("POST", ANTHROPIC, MockUpstream.json(200, MESSAGE));
        String request = "{\"model\":\"anthropic/claude-haiku-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}],\"metadata\":{\"user_id\":\"u\"}}";
        HttpResponse<String> r = post("/v1/messages", request);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(request.replace("anthropic/claude-haiku-4-5", "claude-haiku-4-5"),
                MockUpstream.last(ANTHROPIC).body());
    }

    static final String EVENTS = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":10,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"x","document_index":0,"document_title":null,"start_char_index":0,"end_char_index":1}}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Test
    void passedThroughStreamIsRelayedAsItCame() throws Exception {
        MockUpstream.on("POST", ANTHROPIC, ctx -> ctx.response().putHeader("content-type", "text/event-stream")
                .end(EVENTS));
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "claude-sonnet-4-5-20250929", "max_tokens": 100, "stream": true,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(EVENTS, r.body());
    }

    @Test
    void passedThroughStreamCutShortEndsWithAnErrorEvent() throws Exception {
        String cut = EVENTS.substring(0, EVENTS.indexOf("event: content_block_stop"));
        MockUpstream.on("POST", ANTHROPIC, ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream").write(cut);
            MockUpstream.vertx().setTimer(50, t -> ctx.request().connection().close());
        });
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "claude-sonnet-4-5-20250929", "max_tokens": 100, "stream": true,
                 "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertTrue(r.body().startsWith(cut), r.body());
        assertTrue(r.body().substring(cut.length()).startsWith("event: error\ndata: {\"type\":\"error\",\"error\":"
                + "{\"type\":\"api_error\""), r.body());
    }

    // ---- errors ------------------------------------------------------------------------------------------------

    @Test
    void errorsTakeAnthropicsShape() throws Exception {
        HttpResponse<String> noKey = post("/v1/messages", "{}", "authorization", "");
        assertEquals(401, noKey.statusCode());
        assertEquals("authentication_error", new JsonObject(noKey.body()).getJsonObject("error").getString("type"));
        assertTrue(noKey.headers().firstValue("request-id").isPresent());
        assertEquals(noKey.headers().firstValue("request-id").get(), new JsonObject(noKey.body()).getString("request_id"));

        HttpResponse<String> badJson = post("/v1/messages", "{\"model\": ");
        assertEquals(400, badJson.statusCode());
        assertEquals("invalid_request_error", new JsonObject(badJson.body()).getJsonObject("error").getString("type"));

        HttpResponse<String> unknown = post("/v1/messages", """
                {"model": "nobody/nothing", "max_tokens": 5, "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("not_found_error", new JsonObject(unknown.body()).getJsonObject("error").getString("type"));

        MockUpstream.on("POST", OPENAI, MockUpstream.rateLimited("7"));
        HttpResponse<String> limited = post("/v1/messages", """
                {"model": "gpt-4o-mini", "max_tokens": 5, "messages": [{"role": "user", "content": "Hi"}]}
                """);
        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("rate_limit_error", new JsonObject(limited.body()).getJsonObject("error").getString("type"));
        assertTrue(limited.headers().firstValue("retry-after").isPresent(), limited.headers().map().toString());

        HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + io.restassured.RestAssured.port + "/v1/messages")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals("error", new JsonObject(get.body()).getString("type"));
    }

    // ---- count_tokens -----------------------------------------------------------------------------------------

    @Test
    void countTokensIsExactForAnthropicAndAnEstimateElsewhere() throws Exception {
        MockUpstream.on("POST", "/anthropic/v1/messages/count_tokens", MockUpstream.json(200, "{\"input_tokens\":2095}"));
        String body = "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}],"
                + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}]}";
        HttpResponse<String> exact = post("/v1/messages/count_tokens", body, "anthropic-beta", "token-counting-2024-11-01");
        assertEquals(200, exact.statusCode(), exact.body());
        assertEquals("{\"input_tokens\":2095}", exact.body());
        assertEquals("exact", exact.headers().firstValue("x-sluice-token-count").orElse(null));
        assertEquals(body, MockUpstream.last("/anthropic/v1/messages/count_tokens").body());

        HttpResponse<String> estimate = post("/v1/messages/count_tokens", body.replace("claude-sonnet-4-5", "gpt-4o-mini"));
        assertEquals(200, estimate.statusCode(), estimate.body());
        assertEquals("estimate", estimate.headers().firstValue("x-sluice-token-count").orElse(null));
        long tokens = new JsonObject(estimate.body()).getLong("input_tokens");
        assertTrue(tokens > 3 && tokens < 60, estimate.body());
    }

    // ---- the ledger -------------------------------------------------------------------------------------------

    @Test
    void claudeCodeSessionIsRecordedOnTheLedgerLine() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("session-test", "1.00");
        MockUpstream.on("POST", OPENAI, MockUpstream.json(200, MockUpstream.completion("ok")));
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "gpt-4o-mini", "max_tokens": 5, "messages": [{"role": "user", "content": "Hi"}]}
                """, "authorization", "Bearer " + key.secret(), "x-claude-code-session-id", "18cfa930-3e8e-4469");
        assertEquals(200, r.statusCode(), r.body());
        List<Map<String, Object>> rows = LedgerRows.forKey(db, key.id());
        assertEquals(1, LedgerRows.requests(rows).size());
        assertEquals("18cfa930-3e8e-4469", LedgerRows.requests(rows).get(0).get("client_session"));
    }

    static List<String> eventTypes(String body) {
        return body.lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
    }
}
