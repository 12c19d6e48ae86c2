package dev.sluice.api.messages;

import dev.sluice.testing.EventStream;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Claude Code session replayed against Sluice: {@code claude-code/session.jsonl} holds the requests Claude
 * Code 2.1.197 sent ({@code claude -p "Read the file hello.txt and tell me what it says" --allowedTools Read}, with
 * {@code ANTHROPIC_BASE_URL} at a local recording mock): two streamed turns with system blocks carrying
 * {@code cache_control}, 24 tools with JSON Schema 2020-12, a {@code role: "system"} message inside
 * {@code messages}, adaptive thinking, {@code output_config.effort}, {@code context_management}, eight betas, its
 * session header, and in the second turn the Read tool's call and result. Each request is replayed with its headers
 * (the key replaced), once to an Anthropic upstream and once, with the model Claude Code would send for
 * {@code ANTHROPIC_MODEL=gpt-4o-mini}, to an OpenAI-protocol upstream; and to Claude on Bedrock.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ClaudeCodeReplayTest {

    static final Set<String> NOT_REPLAYED = Set.of("x-api-key", "authorization", "host", "content-length",
            "connection", "accept-encoding");
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Recorded(String path, JsonObject headers, String body) {
    }

    static List<Recorded> session() throws Exception {
        List<Recorded> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(ClaudeCodeReplayTest.class
                .getResourceAsStream("/claude-code/session.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonObject r = new JsonObject(line);
                    out.add(new Recorded(r.getString("path"), r.getJsonObject("headers"), r.getString("body")));
                }
            }
        }
        return out;
    }

    static HttpResponse<String> replay(Recorded r, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + io.restassured.RestAssured.port
                + r.path())).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        r.headers().forEach(h -> {
            if (!NOT_REPLAYED.contains(h.getKey())) {
                b.header(h.getKey(), String.valueOf(h.getValue()));
            }
        });
        b.header("x-api-key", MockUpstream.MASTER_KEY);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void theRecordingIsWhatClaudeCodeSends() throws Exception {
        List<Recorded> session = session();
        assertEquals(2, session.size());
        JsonObject first = new JsonObject(session.get(0).body());
        assertEquals("/v1/messages?beta=true", session.get(0).path());
        assertTrue(first.getBoolean("stream"));
        assertEquals("system", first.getJsonArray("messages").getJsonObject(1).getString("role"));
        assertTrue(first.getJsonArray("system").getJsonObject(1).containsKey("cache_control"));
        assertEquals("adaptive", first.getJsonObject("thinking").getString("type"));
        assertTrue(session.get(0).headers().getString("anthropic-beta").split(",").length >= 8);
        assertTrue(session.get(0).headers().containsKey("x-claude-code-session-id"));
    }

    /** To Anthropic: each request reaches the upstream as Claude Code wrote it, and its events come back as sent. */
    @Test
    void replayedToAnthropicPassesThrough() throws Exception {
        String events = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
                + "\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-8\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"text\",\"text\":\"\"}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                + "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"It says hello.\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        MockUpstream.on("POST", "/anthropic/v1/messages", ctx -> ctx.response()
                .putHeader("content-type", "text/event-stream").end(events));
        for (Recorded r : session()) {
            HttpResponse<String> response = replay(r, r.body());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(events, response.body());
            MockUpstream.Received sent = MockUpstream.last("/anthropic/v1/messages");
            assertEquals(r.body(), sent.body(), "Claude Code's request, byte for byte");
            assertEquals(r.headers().getString("anthropic-beta"), sent.headers().get("anthropic-beta"));
            assertEquals("2023-06-01", sent.headers().get("anthropic-version"));
        }
    }

    /**
     * To Claude on Bedrock: each request reaches InvokeModel as Claude Code wrote it, in Bedrock's form (no model or
     * stream, Bedrock's version, the betas as a body field), and the events of the AWS event stream come back as
     * Anthropic's SSE.
     */
    @Test
    void replayedToClaudeOnBedrockPassesThroughInvokeModel() throws Exception {
        String bedrock = "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream";
        List<String> events = List.of("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_1\",\"type\":"
                        + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                        + "\"It says hello.\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":12}}",
                "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":100,"
                        + "\"outputTokenCount\":12,\"invocationLatency\":900,\"firstByteLatency\":300}}");
        StringBuilder sse = new StringBuilder();
        List<byte[]> frames = new ArrayList<>();
        for (String e : events) {
            String type = new JsonObject(e).getString("type");
            sse.append("event: ").append(type).append("\ndata: ").append(e).append("\n\n");
            frames.add(EventStream.event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(
                    e.getBytes(StandardCharsets.UTF_8)) + "\"}"));
        }
        MockUpstream.on("POST", bedrock, EventStream.reply(Duration.ZERO, frames));
        for (Recorded r : session()) {
            JsonObject recorded = new JsonObject(r.body());
            HttpResponse<String> response = replay(r, recorded.copy()
                    .put("model", "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0").encode());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(sse.toString(), response.body());
            JsonObject sent = MockUpstream.last(bedrock).json();
            assertEquals("bedrock-2023-05-31", sent.getString("anthropic_version"));
            assertEquals(List.of(r.headers().getString("anthropic-beta").split(",")),
                    sent.getJsonArray("anthropic_beta").getList());
            JsonObject expected = recorded.copy();
            expected.remove("model");
            expected.remove("stream");
            expected.put("anthropic_version", "bedrock-2023-05-31").put("anthropic_beta", sent.getJsonArray("anthropic_beta"));
            assertEquals(expected, sent, "every field Claude Code wrote, as it wrote it");
        }
    }

    /** To an OpenAI-protocol model: nothing Claude Code sends is refused, and the tool loop survives translation. */
    @Test
    void replayedToAnOpenAiModelIsTranslated() throws Exception {
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.sse(Duration.ZERO,
                MockUpstream.chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                MockUpstream.chunk("{\"content\":\"It says hello.\"}", null),
                MockUpstream.chunk("{}", "stop"),
                MockUpstream.usageChunk(3000, 5)));
        List<Recorded> session = session();
        for (int i = 0; i < session.size(); i++) {
            Recorded r = session.get(i);
            JsonObject body = new JsonObject(r.body()).put("model", "gpt-4o-mini");
            HttpResponse<String> response = replay(r, body.encode());
            assertEquals(200, response.statusCode(), response.body());
            List<String> types = MessagesApiTest.eventTypes(response.body());
            assertEquals("message_start", types.get(0));
            assertEquals("message_stop", types.get(types.size() - 1), response.body());
            String dropped = response.headers().firstValue("x-sluice-dropped").orElse("");
            for (String named : List.of("cache_control", "thinking", "output_config.effort", "context_management")) {
                assertTrue(dropped.contains(named), dropped);
            }
            JsonObject sent = MockUpstream.last("/openai/v1/chat/completions").json();
            JsonArray messages = sent.getJsonArray("messages");
            assertEquals("system", messages.getJsonObject(0).getString("role"));
            assertTrue(messages.getJsonObject(0).getString("content").contains("Available agent types"),
                    "the system message inside messages is folded into the system prompt");
            assertEquals(1, messages.stream().filter(m -> "system".equals(((JsonObject) m).getString("role"))).count());
            assertEquals(24, sent.getJsonArray("tools").size());
            assertEquals(16384, sent.getInteger("max_tokens"), "64,000 lowered to gpt-4o-mini's limit");
            assertFalse(sent.containsKey("thinking") || sent.containsKey("context_management")
                    || sent.containsKey("output_config"), "no Anthropic-only field reaches an OpenAI upstream");
            if (i == 1) {
                JsonObject call = messages.getJsonObject(messages.size() - 2);
                assertEquals("toolu_mock001", call.getJsonArray("tool_calls").getJsonObject(0).getString("id"));
                JsonObject result = messages.getJsonObject(messages.size() - 1);
                assertEquals("tool", result.getString("role"));
                assertEquals("toolu_mock001", result.getString("tool_call_id"));
                assertTrue(result.getString("content").contains("hello from the sluice test"), result.encode());
            }
        }
    }
}
