package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.sluice.api.responses.ResponsesApiTest.events;
import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Codex CLI session replayed against Sluice: the two requests {@code codex exec} sent (recorded from
 * codex-cli 0.171.0 against a local mock: a turn that runs {@code echo hello} with {@code exec_command}, then the
 * turn carrying its output), with Codex's own headers, answered through Anthropic (translated, web_search mapped
 * to Anthropic's), through a chat-only provider (web_search dropped and named) and through OpenAI (passed through).
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class CodexReplayTest {

    static final String TOOL_USE_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_c1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":9000,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_echo","name":"exec_command","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"cmd\\": "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\"echo hello\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":20}}

            event: message_stop
            data: {"type":"message_stop"}
            """;

    static final String TEXT_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_c2","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":9100,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"The command printed hello."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":8}}

            event: message_stop
            data: {"type":"message_stop"}
            """;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void codexSessionThroughAnthropic() throws Exception {
        MockUpstream.on("POST", "/anthropic/v1/messages", ctx -> {
            boolean answered = ctx.body().asString().contains("tool_result");
            MockUpstream.recordedSse(Duration.ZERO, answered ? TEXT_STREAM : TOOL_USE_STREAM).handle(ctx);
        });

        Recorded first = recorded("01-POST.json", "anthropic/claude-sonnet-4-5");
        HttpResponse<String> r1 = replay(first);
        assertEquals(200, r1.statusCode(), r1.body());
        List<ResponsesApiTest.Event> events = events(r1.body());
        assertWellFormed(events);
        JsonNode done = events.get(events.size() - 1).data().path("response");
        assertEquals("completed", done.path("status").asText());
        JsonNode call = done.path("output").get(0);
        assertEquals("function_call", call.path("type").asText());
        assertEquals("exec_command", call.path("name").asText());
        assertEquals("toolu_echo", call.path("call_id").asText());
        assertJson("{\"cmd\": \"echo hello\"}", call.path("arguments").asText());
        assertTrue(r1.headers().firstValue("x-sluice-dropped").isEmpty(), r1.headers().map().toString());

        JsonNode upstream = parse(MockUpstream.last("/anthropic/v1/messages").body());
        assertTrue(upstream.path("stream").asBoolean());
        List<String> tools = upstream.get("tools").findValuesAsText("name");
        assertTrue(tools.contains("exec_command"), tools.toString());
        assertTrue(tools.contains("multi_agent_v1__close_agent"), tools.toString());
        assertTrue(upstream.get("tools").findValuesAsText("type").stream().anyMatch(t -> t.startsWith("web_search")),
                "Codex's web_search becomes Anthropic's web search tool: " + upstream.get("tools"));
        assertTrue(upstream.path("system").toString().contains("You are a coding agent running in the Codex CLI"));

        // Codex's second request carries the call and its output itself (store: false)
        HttpResponse<String> r2 = replay(recorded("02-POST.json", "anthropic/claude-sonnet-4-5"));
        assertEquals(200, r2.statusCode(), r2.body());
        List<ResponsesApiTest.Event> second = events(r2.body());
        assertWellFormed(second);
        assertEquals("The command printed hello.", second.get(second.size() - 1).data().path("response")
                .path("output").get(0).path("content").get(0).path("text").asText());
        JsonNode messages = parse(MockUpstream.last("/anthropic/v1/messages").body()).get("messages");
        JsonNode toolUse = messages.get(messages.size() - 2).get("content").get(0);
        assertEquals("tool_use", toolUse.path("type").asText());
        assertEquals("call_1", toolUse.path("id").asText());
        JsonNode toolResult = messages.get(messages.size() - 1).get("content").get(0);
        assertEquals("tool_result", toolResult.path("type").asText());
        assertEquals("call_1", toolResult.path("tool_use_id").asText());
        assertTrue(toolResult.toString().contains("hello"));
        // store: false keeps nothing
        String id = second.get(0).data().path("response").path("id").asText();
        assertEquals(404, dev.sluice.testing.Http.get(url("/v1/responses/" + id), MockUpstream.MASTER_KEY)
                .statusCode());
    }

    @Test
    void codexSessionThroughAChatOnlyProviderDropsWebSearchAndSaysSo() throws Exception {
        MockUpstream.on("POST", "/groq/v1/chat/completions", MockUpstream.sse(Duration.ZERO,
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"llama\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Done.\"}}]}",
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"llama\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"llama\",\"choices\":[],\"usage\":{\"prompt_tokens\":9000,\"completion_tokens\":2,\"total_tokens\":9002}}",
                "[DONE]"));
        HttpResponse<String> r = replay(recorded("02-POST.json", "groq/llama-3.3-70b-versatile"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("tools.web_search", r.headers().firstValue("x-sluice-dropped").orElseThrow());
        List<ResponsesApiTest.Event> events = events(r.body());
        assertWellFormed(events);
        JsonNode chat = parse(MockUpstream.last("/groq/v1/chat/completions").body());
        assertTrue(!chat.has("web_search_options"));
        assertEquals("tool", chat.get("messages").get(chat.get("messages").size() - 1).path("role").asText());
    }

    @Test
    void codexSessionPassedThroughToOpenAi() throws Exception {
        MockUpstream.on("POST", "/openai/v1/responses", MockUpstream.recordedSse(Duration.ZERO,
                ResponsesFixtures.TEXT_STREAM));
        Recorded second = recorded("02-POST.json", "openai/gpt-5-codex");
        HttpResponse<String> r = replay(second);
        assertEquals(200, r.statusCode(), r.body());
        ObjectNode expected = second.body().deepCopy();
        expected.put("model", "gpt-5-codex");
        assertJson(expected.toString(), MockUpstream.last("/openai/v1/responses").body());
        assertEquals(10, events(r.body()).size());
    }

    // ---- replay -----------------------------------------------------------------------------------------------

    record Recorded(Map<String, String> headers, ObjectNode body) {
    }

    static Recorded recorded(String file, String model) throws Exception {
        try (InputStream in = CodexReplayTest.class.getResourceAsStream("/responses/codex/" + file)) {
            JsonNode recorded = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            ObjectNode body = (ObjectNode) recorded.get("body");
            body.put("model", model);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = recorded.get("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                String name = h.getKey().toLowerCase();
                if (!List.of("host", "content-length", "authorization", "accept-encoding", "connection").contains(name)) {
                    headers.put(h.getKey(), h.getValue().asText());
                }
            }
            return new Recorded(headers, body);
        }
    }

    static String url(String path) {
        return "http://localhost:" + RestAssured.port + path;
    }

    static HttpResponse<String> replay(Recorded r) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/v1/responses")))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(r.body().toString()));
        r.headers().forEach(b::header);
        return dev.sluice.testing.Http.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What Codex's stream reader needs: created first, completed last, consecutive sequence numbers. */
    static void assertWellFormed(List<ResponsesApiTest.Event> events) {
        assertEquals("response.created", events.get(0).type());
        assertEquals("response.completed", events.get(events.size() - 1).type());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).data().path("sequence_number").asInt(), events.get(i).toString());
        }
    }
}
