package dev.sluice.api.messages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatChunk;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * OpenAI chunk streams written as Anthropic event streams, compared whole: the exact sequence Anthropic's reference
 * documents (one message_start, blocks with their indexes, deltas, message_delta with the usage, message_stop).
 */
class MessagesStreamWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String write(List<String> chunks) throws Exception {
        MessagesStreamWriter writer = new MessagesStreamWriter(MAPPER, "claude-sonnet-4-5");
        StringBuilder out = new StringBuilder();
        for (String c : chunks) {
            Buffer b = writer.chunk(ChatChunk.of(MAPPER, (ObjectNode) MAPPER.readTree(c)));
            out.append(b.toString());
        }
        return out.append(writer.end().toString()).toString();
    }

    private static String delta(String delta) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
    }

    private static String finish(String reason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
    }

    private static final String USAGE = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":472,\"completion_tokens\":89,"
            + "\"total_tokens\":561,\"prompt_tokens_details\":{\"cached_tokens\":400}}}";

    /** Thinking, text and two tool calls whose arguments arrive in many fragments. */
    @Test
    void thinkingTextAndTwoToolUsesSplitAcrossManyDeltas() throws Exception {
        String events = write(List.of(
                delta("{\"role\":\"assistant\",\"content\":\"\"}"),
                delta("{\"reasoning_content\":\"Two cities,\"}"),
                delta("{\"reasoning_content\":\" two calls.\"}"),
                delta("{\"content\":\"Checking \"}"),
                delta("{\"content\":\"both.\"}"),
                delta("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}"),
                delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loc\"}}]}"),
                delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ation\\\": \"}}]}"),
                delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}"),
                delta("{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\"\"}}]}"),
                delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\": \\\"Rome\\\"}\"}}]}"),
                finish("tool_calls"),
                USAGE));
        assertEquals("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_chatcmpl-1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

                event: ping
                data: {"type":"ping"}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Two cities,"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" two calls."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Checking "}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"both."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: content_block_start
                data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_1","name":"get_weather","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"loc"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"ation\\": "}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":2}

                event: content_block_start
                data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"call_2","name":"get_weather","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":": \\"Rome\\"}"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":3}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":72,"cache_creation_input_tokens":0,"cache_read_input_tokens":400,"output_tokens":89}}

                event: message_stop
                data: {"type":"message_stop"}

                """, events);
    }

    /** A signed thinking block (from an Anthropic upstream that was translated) gets its signature_delta. */
    @Test
    void signatureOfAThinkingBlock() throws Exception {
        String events = write(List.of(
                delta("{\"role\":\"assistant\",\"reasoning_content\":\"Hmm.\"}"),
                delta("{\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"Hmm.\",\"signature\":\"EqQBCg\"}]}"),
                delta("{\"content\":\"Yes.\"}"),
                finish("stop"),
                USAGE));
        String expectedStart = """
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCg"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}
                """;
        assertEquals(true, events.contains(expectedStart), events);
        assertEquals(true, events.contains("\"stop_reason\":\"end_turn\""), events);
    }

    /** A stream that fails after its first byte ends with Anthropic's error event. */
    @Test
    void failureIsAnErrorEvent() {
        MessagesStreamWriter writer = new MessagesStreamWriter(MAPPER, "m");
        assertEquals("""
                event: error
                data: {"type":"error","error":{"type":"api_error","message":"Provider 'openai' closed the stream"}}

                """, writer.failure(new ApiException(502, ApiException.UPSTREAM_ERROR, "x", null,
                "Provider 'openai' closed the stream")).toString());
        assertEquals("overloaded_error", MessagesErrors.type(529));
        assertEquals("overloaded_error", MessagesErrors.type(503));
        assertEquals("rate_limit_error", MessagesErrors.type(429));
        assertEquals("not_found_error", MessagesErrors.type(404));
        assertEquals("permission_error", MessagesErrors.type(403));
        assertEquals("authentication_error", MessagesErrors.type(401));
        assertEquals("invalid_request_error", MessagesErrors.type(400));
        assertEquals("api_error", MessagesErrors.type(500));
    }
}
