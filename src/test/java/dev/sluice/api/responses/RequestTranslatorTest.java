package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static dev.sluice.testing.JsonAssert.assertJson;
import static dev.sluice.testing.JsonAssert.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Responses requests (OpenAI's API reference examples and a recorded Codex CLI request) → chat requests. */
class RequestTranslatorTest {

    static final RequestTranslator.Capabilities PLAIN = new RequestTranslator.Capabilities(false);
    static final RequestTranslator.Capabilities SEARCH = new RequestTranslator.Capabilities(true);

    static RequestTranslator.Translation translate(String json, RequestTranslator.Capabilities caps,
                                                   List<JsonNode> history) {
        ObjectNode tree = (ObjectNode) parse(json);
        ResponsesRequest.of(tree);
        return RequestTranslator.toChat(tree, history, caps);
    }

    @Test
    void referenceTextInput() {
        var t = translate("""
                {"model": "gpt-4.1", "input": "Tell me a three sentence bedtime story about a unicorn."}
                """, PLAIN, List.of());
        assertJson("""
                {"model": "gpt-4.1", "messages": [
                  {"role": "user", "content": "Tell me a three sentence bedtime story about a unicorn."}]}
                """, t.chat().toString());
        assertEquals(List.of(), t.dropped());
    }

    @Test
    void referenceInstructionsImageAndSettings() {
        var t = translate("""
                {"model": "gpt-4.1", "instructions": "You are a helpful assistant.", "stream": true,
                 "input": [{"role": "user", "content": [
                    {"type": "input_text", "text": "what is in this image?"},
                    {"type": "input_image", "image_url": "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg"},
                    {"type": "input_file", "filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERi0="}]}],
                 "max_output_tokens": 300, "temperature": 0.2, "top_p": 0.9, "reasoning": {"effort": "low", "summary": "auto"},
                 "text": {"format": {"type": "json_schema", "name": "answer", "strict": true,
                          "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}},
                 "metadata": {"k": "v"}, "safety_identifier": "user-42", "prompt_cache_key": "c1",
                 "include": ["reasoning.encrypted_content"], "store": false}
                """, PLAIN, List.of());
        assertJson("""
                {"model": "gpt-4.1", "messages": [
                  {"role": "system", "content": "You are a helpful assistant."},
                  {"role": "user", "content": [
                    {"type": "text", "text": "what is in this image?"},
                    {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg"}},
                    {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0=", "filename": "a.pdf"}}]}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "strict": true,
                    "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}},
                 "reasoning_effort": "low", "max_completion_tokens": 300, "temperature": 0.2, "top_p": 0.9,
                 "metadata": {"k": "v"}, "user": "user-42", "prompt_cache_key": "c1",
                 "stream": true, "stream_options": {"include_usage": true}}
                """, t.chat().toString());
    }

    @Test
    void referenceFunctionCallingAndRoundTrip() {
        String tools = """
                "tools": [{"type": "function", "name": "get_current_weather",
                   "description": "Get the current weather in a given location",
                   "parameters": {"type": "object", "properties": {"location": {"type": "string"},
                      "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location", "unit"]}}],
                "tool_choice": "auto"
                """;
        var first = translate("{\"model\": \"gpt-4.1\", \"input\": \"What is the weather like in Boston today?\", "
                + tools + "}", PLAIN, List.of());
        String chatTools = """
                "tools": [{"type": "function", "function": {"name": "get_current_weather",
                   "description": "Get the current weather in a given location",
                   "parameters": {"type": "object", "properties": {"location": {"type": "string"},
                      "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location", "unit"]}}}],
                "tool_choice": "auto"
                """;
        assertJson("{\"model\": \"gpt-4.1\", \"messages\": [{\"role\": \"user\", \"content\": "
                + "\"What is the weather like in Boston today?\"}], " + chatTools + "}", first.chat().toString());

        // the second turn, without server state: the history comes from the stored first response
        List<JsonNode> history = List.of(
                parse("{\"role\": \"user\", \"content\": \"What is the weather like in Boston today?\"}"),
                parse("""
                        {"type": "function_call", "id": "fc_1", "call_id": "call_12345xyz", "name": "get_current_weather",
                         "arguments": "{\\"location\\":\\"Boston, MA\\",\\"unit\\":\\"celsius\\"}", "status": "completed"}
                        """));
        var second = translate("{\"model\": \"gpt-4.1\", \"previous_response_id\": \"resp_1\", \"input\": "
                + "[{\"type\": \"function_call_output\", \"call_id\": \"call_12345xyz\", \"output\": \"22 degrees\"}], "
                + tools + "}", PLAIN, history);
        assertJson("""
                {"model": "gpt-4.1", "messages": [
                  {"role": "user", "content": "What is the weather like in Boston today?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_12345xyz", "type": "function",
                     "function": {"name": "get_current_weather", "arguments": "{\\"location\\":\\"Boston, MA\\",\\"unit\\":\\"celsius\\"}"}}]},
                  {"role": "tool", "tool_call_id": "call_12345xyz", "content": "22 degrees"}],
                """ + chatTools + "}", second.chat().toString());
    }

    @Test
    void codexRequestTranslatesWithoutRefusingItsBuiltInTools() throws IOException {
        ObjectNode codex = codexRequest("02-POST.json");
        var t = RequestTranslator.toChat(codex, List.of(), PLAIN);
        ObjectNode chat = t.chat();
        // web_search has no equivalent on this provider: dropped and named, not refused
        assertEquals(List.of("tools.web_search"), t.dropped());
        assertTrue(!chat.has("web_search_options"));
        List<String> names = chat.get("tools").findValuesAsText("name");
        assertTrue(names.contains("exec_command"));
        assertTrue(names.contains("multi_agent_v1__close_agent"), names.toString());
        assertEquals("multi_agent_v1", t.names().namespaceOf("multi_agent_v1__close_agent"));
        assertEquals("close_agent", t.names().nameOf("multi_agent_v1__close_agent"));
        assertNull(t.names().namespaceOf("exec_command"));
        JsonNode messages = chat.get("messages");
        assertEquals("developer", messages.get(0).path("role").asText());
        assertTrue(messages.get(0).path("content").get(0).path("text").asText().startsWith("You are a coding agent"));
        JsonNode call = messages.get(messages.size() - 2);
        assertEquals("assistant", call.path("role").asText());
        assertEquals("call_1", call.path("tool_calls").get(0).path("id").asText());
        assertEquals("exec_command", call.path("tool_calls").get(0).path("function").path("name").asText());
        JsonNode output = messages.get(messages.size() - 1);
        assertEquals("tool", output.path("role").asText());
        assertEquals("call_1", output.path("tool_call_id").asText());
        assertTrue(output.path("content").asText().contains("hello"));
        assertEquals("auto", chat.path("tool_choice").asText());
        assertTrue(chat.path("parallel_tool_calls").asBoolean());
        assertEquals(true, chat.path("stream_options").path("include_usage").asBoolean());

        // where the provider has a search tool, web_search becomes its web search
        var searching = RequestTranslator.toChat(codex, List.of(), SEARCH);
        assertEquals(List.of(), searching.dropped());
        assertTrue(searching.chat().has("web_search_options"));
    }

    @Test
    void namespacedCallsInTheHistoryKeepTheirUpstreamNames() {
        var t = translate("""
                {"model": "m", "tools": [{"type": "namespace", "name": "files", "description": "d",
                   "tools": [{"type": "function", "name": "read", "parameters": {"type": "object", "properties": {}}}]}],
                 "tool_choice": {"type": "function", "name": "read", "namespace": "files"},
                 "input": [{"role": "user", "content": "read it"},
                   {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAA"},
                   {"type": "function_call", "call_id": "c1", "name": "read", "namespace": "files", "arguments": "{}"},
                   {"type": "function_call_output", "call_id": "c1", "output": [{"type": "input_text", "text": "contents"}]}]}
                """, PLAIN, List.of());
        assertJson("""
                {"model": "m", "messages": [{"role": "user", "content": "read it"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                     "function": {"name": "files__read", "arguments": "{}"}}]},
                  {"role": "tool", "tool_call_id": "c1", "content": "contents"}],
                 "tools": [{"type": "function", "function": {"name": "files__read", "description": null,
                     "parameters": {"type": "object", "properties": {}}}}],
                 "tool_choice": {"type": "function", "function": {"name": "files__read"}}}
                """.replace("\"description\": null,", ""), t.chat().toString());
        assertEquals(List.of("input.reasoning"), t.dropped());
    }

    @Test
    void refusals() {
        var conversation = assertThrows(ApiException.class, () -> translate(
                "{\"model\": \"m\", \"input\": \"hi\", \"conversation\": \"conv_1\"}", PLAIN, List.of()));
        assertEquals(400, conversation.status());
        assertEquals("conversation", conversation.param());
        var background = assertThrows(ApiException.class, () -> translate(
                "{\"model\": \"m\", \"input\": \"hi\", \"background\": true}", PLAIN, List.of()));
        assertEquals("background", background.param());
        var unknown = assertThrows(ApiException.class, () -> translate(
                "{\"model\": \"m\", \"input\": [{\"type\": \"computer_call_output\", \"call_id\": \"x\"}]}", PLAIN,
                List.of()));
        assertEquals("input[0].type", unknown.param());
        var noInput = assertThrows(ApiException.class, () -> translate("{\"model\": \"m\"}", PLAIN, List.of()));
        assertEquals("input", noInput.param());
        var noModel = assertThrows(ApiException.class, () -> translate("{\"input\": \"x\"}", PLAIN, List.of()));
        assertEquals("model", noModel.param());
        var badTemperature = assertThrows(ApiException.class, () -> translate(
                "{\"model\": \"m\", \"input\": \"x\", \"temperature\": 3}", PLAIN, List.of()));
        assertEquals("temperature", badTemperature.param());
    }

    static ObjectNode codexRequest(String file) throws IOException {
        try (InputStream in = RequestTranslatorTest.class.getResourceAsStream("/responses/codex/" + file)) {
            return (ObjectNode) parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .get("body");
        }
    }
}
