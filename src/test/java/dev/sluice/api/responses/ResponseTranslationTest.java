package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Chat answers (whole and streamed) → Response objects and the Responses event sequence, compared whole. */
class ResponseTranslationTest {

    /** Ids numbered in order of use, so that goldens are stable. */
    static ResponseObjects.Ids ids() {
        AtomicInteger n = new AtomicInteger();
        return prefix -> prefix + n.incrementAndGet();
    }

    static ObjectNode shell(String request) {
        return ResponseObjects.shell((ObjectNode) parse(request), "resp_1", 1741476542);
    }

    static final String SHELL_FIELDS = """
            "id": "resp_1", "object": "response", "created_at": 1741476542, "background": false, "error": null,
            "instructions": null, "max_output_tokens": null, "model": "gpt-4.1",
            "parallel_tool_calls": true, "previous_response_id": null, "reasoning": {"effort": null, "summary": null},
            "store": true, "temperature": 1.0, "text": {"format": {"type": "text"}}, "tool_choice": "auto",
            "tools": [], "top_p": 1.0, "truncation": "disabled", "user": null, "metadata": {}
            """;

    @Test
    void wholeTextAnswerWithCitationsAndReasoning() {
        ObjectNode completion = (ObjectNode) parse("""
                {"id": "chatcmpl-1", "object": "chat.completion", "created": 1741476542, "model": "gpt-4.1",
                 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
                   "reasoning_content": "The user wants a story.",
                   "content": "In a peaceful grove beneath a silver moon...",
                   "annotations": [{"type": "url_citation", "url_citation": {"start_index": 0, "end_index": 4,
                      "url": "https://example.com/", "title": "Example"}}]}}],
                 "usage": {"prompt_tokens": 36, "completion_tokens": 87, "total_tokens": 123,
                   "prompt_tokens_details": {"cached_tokens": 12}, "completion_tokens_details": {"reasoning_tokens": 20}}}
                """);
        ObjectNode response = ResponseTranslator.fromCompletion(shell("{\"model\": \"gpt-4.1\", \"input\": \"x\"}"),
                completion, new ToolNames(), ids());
        assertJson("{" + SHELL_FIELDS + """
                , "status": "completed", "incomplete_details": null,
                 "output": [
                   {"id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": "The user wants a story."}]},
                   {"id": "msg_2", "type": "message", "status": "completed", "role": "assistant", "content": [
                     {"type": "output_text", "text": "In a peaceful grove beneath a silver moon...", "logprobs": [],
                      "annotations": [{"type": "url_citation", "start_index": 0, "end_index": 4,
                         "url": "https://example.com/", "title": "Example"}]}]}],
                 "usage": {"input_tokens": 36, "input_tokens_details": {"cached_tokens": 12}, "output_tokens": 87,
                   "output_tokens_details": {"reasoning_tokens": 20}, "total_tokens": 123}}
                """, response.toString());
    }

    @Test
    void wholeFunctionCallKeepsCallIdAndNamespace() {
        ToolNames names = new ToolNames();
        names.flatten("files", "read");
        ObjectNode completion = (ObjectNode) parse("""
                {"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
                   "tool_calls": [
                     {"id": "call_12345xyz", "type": "function", "function": {"name": "get_current_weather",
                        "arguments": "{\\"location\\":\\"Boston, MA\\"}"}},
                     {"id": "call_2", "type": "function", "function": {"name": "files__read", "arguments": "{}"}}]}}],
                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
                """);
        ObjectNode response = ResponseTranslator.fromCompletion(shell("{\"model\": \"gpt-4.1\"}"), completion,
                names, ids());
        assertJson("""
                [{"id": "fc_1", "type": "function_call", "status": "completed", "call_id": "call_12345xyz",
                  "name": "get_current_weather", "arguments": "{\\"location\\":\\"Boston, MA\\"}"},
                 {"id": "fc_2", "type": "function_call", "status": "completed", "call_id": "call_2",
                  "name": "read", "namespace": "files", "arguments": "{}"}]
                """, response.get("output").toString());
        assertEquals("completed", response.path("status").asText());
    }

    @Test
    void cutShortIsIncomplete() {
        ObjectNode completion = (ObjectNode) parse("""
                {"choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": "Once"}}],
                 "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4, "cost": 0.000012}}
                """);
        ObjectNode response = ResponseTranslator.fromCompletion(shell("{\"model\": \"gpt-4.1\"}"), completion,
                new ToolNames(), ids());
        assertEquals("incomplete", response.path("status").asText());
        assertJson("{\"reason\": \"max_output_tokens\"}", response.get("incomplete_details").toString());
        assertEquals(0.000012, response.path("usage").path("cost").asDouble());
    }

    static List<ObjectNode> run(ResponseStream stream, String... chunks) {
        List<ObjectNode> events = new ArrayList<>(stream.start());
        for (String c : chunks) {
            events.addAll(stream.onChunk(parse(c)));
        }
        events.addAll(stream.onEnd());
        return events;
    }

    static String arrayOf(List<ObjectNode> events) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        events.forEach(a::add);
        return a.toString();
    }

    @Test
    void textStreamIsTheExactEventSequence() {
        ResponseStream stream = new ResponseStream(shell("{\"model\": \"gpt-4.1\"}"), new ToolNames(), ids());
        List<ObjectNode> events = run(stream,
                "{\"choices\": [{\"index\": 0, \"delta\": {\"role\": \"assistant\", \"content\": \"\"}}]}",
                "{\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hi\"}}]}",
                "{\"choices\": [{\"index\": 0, \"delta\": {\"content\": \" there\"}}]}",
                "{\"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\": \"stop\"}]}",
                "{\"choices\": [], \"usage\": {\"prompt_tokens\": 5, \"completion_tokens\": 2, \"total_tokens\": 7}}");
        String inProgress = "{" + SHELL_FIELDS + ", \"status\": \"in_progress\", \"incomplete_details\": null, "
                + "\"output\": [], \"usage\": null}";
        String message = """
                {"id": "msg_1", "type": "message", "status": "completed", "role": "assistant", "content": [
                  {"type": "output_text", "text": "Hi there", "annotations": [], "logprobs": []}]}
                """;
        assertJson("[" + """
                {"type": "response.created", "sequence_number": 0, "response": %1$s},
                {"type": "response.in_progress", "sequence_number": 1, "response": %1$s},
                {"type": "response.output_item.added", "sequence_number": 2, "output_index": 0,
                 "item": {"id": "msg_1", "type": "message", "status": "in_progress", "role": "assistant", "content": []}},
                {"type": "response.content_part.added", "sequence_number": 3, "item_id": "msg_1", "output_index": 0,
                 "content_index": 0, "part": {"type": "output_text", "text": "", "annotations": [], "logprobs": []}},
                {"type": "response.output_text.delta", "sequence_number": 4, "item_id": "msg_1", "output_index": 0,
                 "content_index": 0, "delta": "Hi", "logprobs": []},
                {"type": "response.output_text.delta", "sequence_number": 5, "item_id": "msg_1", "output_index": 0,
                 "content_index": 0, "delta": " there", "logprobs": []},
                {"type": "response.output_text.done", "sequence_number": 6, "item_id": "msg_1", "output_index": 0,
                 "content_index": 0, "text": "Hi there", "logprobs": []},
                {"type": "response.content_part.done", "sequence_number": 7, "item_id": "msg_1", "output_index": 0,
                 "content_index": 0, "part": {"type": "output_text", "text": "Hi there", "annotations": [], "logprobs": []}},
                {"type": "response.output_item.done", "sequence_number": 8, "output_index": 0, "item": %2$s},
                {"type": "response.completed", "sequence_number": 9, "response": %3$s}
                """.formatted(inProgress, message, "{" + SHELL_FIELDS + """
                , "status": "completed", "incomplete_details": null, "output": [%s],
                 "usage": {"input_tokens": 5, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 2,
                   "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 7}}
                """.formatted(message)) + "]", arrayOf(events));
    }

    @Test
    void reasoningThenFunctionCallStream() {
        ResponseStream stream = new ResponseStream(shell("{\"model\": \"gpt-4.1\"}"), new ToolNames(), ids());
        List<ObjectNode> events = run(stream,
                "{\"choices\": [{\"index\": 0, \"delta\": {\"reasoning_content\": \"Need weather.\"}}]}",
                "{\"choices\": [{\"index\": 0, \"delta\": {\"tool_calls\": [{\"index\": 0, \"id\": \"call_1\", "
                        + "\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"\"}}]}}]}",
                "{\"choices\": [{\"index\": 0, \"delta\": {\"tool_calls\": [{\"index\": 0, \"function\": "
                        + "{\"arguments\": \"{\\\"city\\\":\"}}]}}]}",
                "{\"choices\": [{\"index\": 0, \"delta\": {\"tool_calls\": [{\"index\": 0, \"function\": "
                        + "{\"arguments\": \"\\\"Paris\\\"}\"}}]}}]}",
                "{\"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\": \"tool_calls\"}], "
                        + "\"usage\": {\"prompt_tokens\": 9, \"completion_tokens\": 4, \"total_tokens\": 13}}");
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        assertEquals(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed"), types);
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).path("sequence_number").asInt());
        }
        assertJson("""
                {"type": "response.output_item.added", "sequence_number": 8, "output_index": 1,
                 "item": {"id": "fc_2", "type": "function_call", "status": "in_progress", "arguments": "",
                   "call_id": "call_1", "name": "get_weather"}}
                """, events.get(8).toString());
        assertJson("""
                {"type": "response.function_call_arguments.done", "sequence_number": 11, "item_id": "fc_2",
                 "output_index": 1, "arguments": "{\\"city\\":\\"Paris\\"}", "name": "get_weather"}
                """, events.get(11).toString());
        JsonNode done = events.get(13).path("response");
        assertJson("""
                [{"id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": "Need weather."}]},
                 {"id": "fc_2", "type": "function_call", "status": "completed", "arguments": "{\\"city\\":\\"Paris\\"}",
                  "call_id": "call_1", "name": "get_weather"}]
                """, done.get("output").toString());
        assertEquals(13, done.path("usage").path("total_tokens").asInt());
    }

    @Test
    void failureMidStreamEndsWithResponseFailed() {
        ResponseStream stream = new ResponseStream(shell("{\"model\": \"gpt-4.1\"}"), new ToolNames(), ids());
        List<ObjectNode> events = new ArrayList<>(stream.start());
        events.addAll(stream.onChunk(parse("{\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hi\"}}]}")));
        events.addAll(stream.onError(new ApiException(502, ApiException.UPSTREAM_ERROR, "upstream_error", null,
                "The provider closed the stream")));
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "error", "response.failed"),
                events.stream().map(e -> e.path("type").asText()).toList());
        assertJson("""
                {"type": "error", "sequence_number": 5, "code": "upstream_error", "message": "The provider closed the stream",
                 "param": null}
                """, events.get(5).toString());
        JsonNode failed = events.get(6).path("response");
        assertEquals("failed", failed.path("status").asText());
        assertJson("{\"code\": \"server_error\", \"message\": \"The provider closed the stream\"}",
                failed.get("error").toString());
        assertEquals(List.of(), stream.onEnd());
    }
}
