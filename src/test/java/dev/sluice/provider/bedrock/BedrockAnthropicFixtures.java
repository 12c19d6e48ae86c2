package dev.sluice.provider.bedrock;

import dev.sluice.testing.EventStream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Claude on Bedrock through InvokeModel, written after the examples of AWS's "Anthropic Claude Messages API" page
 * and Anthropic's streaming reference: a whole Messages answer as InvokeModel returns it, and the Anthropic events
 * of InvokeModelWithResponseStream, each in a {@code chunk} frame whose payload is {@code {"bytes": base64}}, the
 * last one carrying Bedrock's {@code amazon-bedrock-invocationMetrics}.
 */
final class BedrockAnthropicFixtures {

    private BedrockAnthropicFixtures() {
    }

    static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String INVOKE = "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke";
    static final String INVOKE_STREAM =
            "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream";
    static final String COUNT_TOKENS = "/bedrock/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens";

    /** InvokeModel's answer: signed thinking, text, a tool call; usage with cache reads and writes. */
    static final String MESSAGE = "{\"id\":\"msg_bdrk_01Xk2L7mzG3PpGQ2mQbnGW5c\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"The user wants "
            + "the weather.\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"},{\"type\":\"text\","
            + "\"text\":\"I'll check.\"},{\"type\":\"tool_use\",\"id\":\"toolu_bdrk_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":"
            + "\"get_weather\",\"input\":{\"location\":\"San Francisco, CA\"}}],\"stop_reason\":\"tool_use\","
            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":100,"
            + "\"cache_read_input_tokens\":200,\"output_tokens\":500}}";

    /** A multi-block answer: thinking, text, then two tool calls whose input arrives in many fragments. */
    static final List<String> EVENTS = List.of(
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01Vh8nq3VC3yMz9WvEwRi3Ld\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":100,"
                    + "\"cache_read_input_tokens\":200,\"output_tokens\":2}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\","
                    + "\"signature\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":"
                    + "\"The user wants the weather in two cities.\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":"
                    + "\" I should call get_weather twice.\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":"
                    + "\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}}",
            "{\"type\":\"content_block_stop\",\"index\":0}",
            "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"I'll check \"}}",
            "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"both cities — "
                    + "☀️.\"}}",
            "{\"type\":\"content_block_stop\",\"index\":1}",
            "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":"
                    + "\"toolu_bdrk_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}}",
            "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + "\"{\\\"location\\\": \\\"San Fra\"}}",
            "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + "\"ncisco, CA\\\", \\\"unit\\\": \\\"fah\"}}",
            "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + "\"renheit\\\"}\"}}",
            "{\"type\":\"content_block_stop\",\"index\":2}",
            "{\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"tool_use\",\"id\":"
                    + "\"toolu_bdrk_01CqB5xZ8vYz2iUuRkq9Fh3a\",\"name\":\"get_weather\",\"input\":{}}}",
            "{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + "\"{\\\"locat\"}}",
            "{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + "\"ion\\\": \\\"Paris\"}}",
            "{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + "\", France\\\"}\"}}",
            "{\"type\":\"content_block_stop\",\"index\":3}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                    + "\"usage\":{\"output_tokens\":500}}",
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":1000,"
                    + "\"outputTokenCount\":500,\"invocationLatency\":4019,\"firstByteLatency\":1012}}");

    /** A {@code chunk} frame carrying one Anthropic event. */
    static byte[] chunk(String event) {
        return EventStream.event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(
                event.getBytes(StandardCharsets.UTF_8)) + "\"}");
    }

    /** The frames of a stream of these events. */
    static List<byte[]> frames(List<String> events) {
        List<byte[]> frames = new ArrayList<>(events.size());
        events.forEach(e -> frames.add(chunk(e)));
        return frames;
    }

    /** The events as the client should receive them: Anthropic's SSE framing around each event's own bytes. */
    static String sse(List<String> events) {
        StringBuilder out = new StringBuilder();
        for (String e : events) {
            int at = e.indexOf("\"type\":\"") + 8;
            out.append("event: ").append(e, at, e.indexOf('"', at)).append("\ndata: ").append(e).append("\n\n");
        }
        return out.toString();
    }
}
