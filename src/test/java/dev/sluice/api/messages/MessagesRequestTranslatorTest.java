package dev.sluice.api.messages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sluice.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages requests, from Anthropic's API reference examples, translated into chat requests field by field. */
class MessagesRequestTranslatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static MessagesRequestTranslator.Translation translate(String json) throws Exception {
        return MessagesRequestTranslator.translate((ObjectNode) MAPPER.readTree(json), true, MAPPER.getNodeFactory());
    }

    /** The tool-use conversation of Anthropic's reference: a call, its result and a follow-up question. */
    @Test
    void toolConversationOfTheReference() throws Exception {
        var t = translate("""
                {"model": "claude-sonnet-4-5-20250929", "max_tokens": 1024,
                 "system": [{"type": "text", "text": "You are a weather bot.", "cache_control": {"type": "ephemeral"}},
                            {"type": "text", "text": "Answer in Celsius."}],
                 "tools": [{"name": "get_weather", "description": "Get the current weather in a given location",
                            "input_schema": {"type": "object", "properties": {"location": {"type": "string",
                                "description": "The city and state, e.g. San Francisco, CA"}}, "required": ["location"]}}],
                 "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                 "messages": [
                   {"role": "user", "content": "What's the weather like in San Francisco?"},
                   {"role": "assistant", "content": [
                     {"type": "text", "text": "I'll check."},
                     {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather",
                      "input": {"location": "San Francisco, CA"}}]},
                   {"role": "user", "content": [
                     {"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "15 degrees"},
                     {"type": "text", "text": "And in Paris?"}]}],
                 "stop_sequences": ["END"], "temperature": 0.5, "top_p": 0.9, "top_k": 40,
                 "metadata": {"user_id": "13803d75-b4b5-4c3e-b2a2-6f21399b021b"}, "stream": true}
                """);
        assertJson("""
                {"model": "claude-sonnet-4-5-20250929",
                 "messages": [
                   {"role": "system", "content": "You are a weather bot.\\n\\nAnswer in Celsius."},
                   {"role": "user", "content": "What's the weather like in San Francisco?"},
                   {"role": "assistant", "content": "I'll check.", "tool_calls": [
                     {"id": "toolu_01A09q90qw90lq917835lq9", "type": "function",
                      "function": {"name": "get_weather", "arguments": "{\\"location\\":\\"San Francisco, CA\\"}"}}]},
                   {"role": "tool", "tool_call_id": "toolu_01A09q90qw90lq917835lq9", "content": "15 degrees"},
                   {"role": "user", "content": "And in Paris?"}],
                 "max_tokens": 1024, "stop": ["END"], "temperature": 0.5, "top_p": 0.9, "top_k": 40,
                 "user": "13803d75-b4b5-4c3e-b2a2-6f21399b021b",
                 "tools": [{"type": "function", "function": {"name": "get_weather",
                   "description": "Get the current weather in a given location",
                   "parameters": {"type": "object", "properties": {"location": {"type": "string",
                     "description": "The city and state, e.g. San Francisco, CA"}}, "required": ["location"]}}}],
                 "tool_choice": "required", "parallel_tool_calls": false,
                 "stream": true, "stream_options": {"include_usage": true}}
                """, t.chat().toString());
        assertEquals(List.of("cache_control"), t.dropped());
        assertNull(t.untranslatable());
    }

    /** Claude Code's defaults are never refused: what has no equivalent is dropped and named. */
    @Test
    void claudeCodeDefaultsAreMappedOrDropped() throws Exception {
        var t = translate("""
                {"model": "claude-opus-4-7", "max_tokens": 128000,
                 "system": [{"type": "text", "text": "You are Claude Code.", "cache_control": {"type": "ephemeral"}}],
                 "messages": [
                   {"role": "user", "content": [{"type": "text", "text": "hi", "cache_control": {"type": "ephemeral"}}]},
                   {"role": "system", "content": "Available agent types: Explore"}],
                 "tools": [{"name": "Read", "input_schema": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                              "type": "object", "properties": {"file_path": {"type": "string"}}}},
                           {"name": "Lazy", "defer_loading": true, "input_schema": {"type": "object"}}],
                 "thinking": {"type": "adaptive"}, "output_config": {"effort": "high"},
                 "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
                 "metadata": {"user_id": "{\\"session_id\\":\\"s1\\"}"}, "stream": true}
                """);
        assertNull(t.untranslatable());
        assertEquals("You are Claude Code.\n\nAvailable agent types: Explore",
                t.chat().path("messages").path(0).path("content").asText());
        assertEquals("hi", t.chat().path("messages").path(1).path("content").asText());
        assertEquals(2, t.chat().path("messages").size(), "the system message inside messages is folded in");
        assertEquals(2, t.chat().path("tools").size(), "a defer_loading tool is sent as an ordinary tool");
        assertEquals("Lazy", t.chat().path("tools").path(1).path("function").path("name").asText());
        assertEquals(128000, t.chat().path("max_tokens").asInt(), "lowered per model once the target is known");
        assertTrue(t.chat().path("reasoning_effort").isMissingNode(), "adaptive thinking asks for nothing");
        assertEquals(List.of("cache_control", "defer_loading", "thinking", "output_config.effort",
                "context_management"), t.dropped());
    }

    @Test
    void thinkingBudgetBecomesReasoningEffort() throws Exception {
        var t = translate("""
                {"model": "m", "max_tokens": 20000, "thinking": {"type": "enabled", "budget_tokens": 16000},
                 "messages": [{"role": "user", "content": "Are there an infinite number of prime numbers such that n mod 4 == 3?"}]}
                """);
        assertEquals("high", t.chat().path("reasoning_effort").asText());
        assertEquals("low", MessagesRequestTranslator.effort(2048));
        assertEquals("medium", MessagesRequestTranslator.effort(8192));
    }

    @Test
    void imagesDocumentsAndToolResultsWithImagesAndErrors() throws Exception {
        var t = translate("""
                {"model": "m", "max_tokens": 10, "messages": [
                  {"role": "user", "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"}},
                    {"type": "image", "source": {"type": "url", "url": "https://upload.wikimedia.org/a.jpg"}},
                    {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0"},
                     "title": "report.pdf"},
                    {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "The grass is green."}},
                    {"type": "text", "text": "Describe these."}]},
                  {"role": "assistant", "content": [{"type": "thinking", "thinking": "Let me look", "signature": "sig"},
                    {"type": "tool_use", "id": "toolu_1", "name": "screenshot", "input": {}}]},
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true,
                    "content": [{"type": "text", "text": "display busy"},
                                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBOR"}}]}]}]}
                """);
        assertJson("""
                [{"role": "user", "content": [
                   {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
                   {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/a.jpg"}},
                   {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0", "filename": "report.pdf"}},
                   {"type": "text", "text": "The grass is green."},
                   {"type": "text", "text": "Describe these."}]},
                 {"role": "assistant", "content": null, "tool_calls": [{"id": "toolu_1", "type": "function",
                   "function": {"name": "screenshot", "arguments": "{}"}}]},
                 {"role": "tool", "tool_call_id": "toolu_1", "content": "Error: display busy"},
                 {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBOR"}}]}]
                """, t.chat().path("messages").toString());
        assertEquals(List.of("thinking blocks of earlier turns"), t.dropped());
    }

    /** What would change the answer and has no equivalent is a 400 for attempts that translate, naming it. */
    @Test
    void serverToolsAndMcpServersCannotBeTranslated() throws Exception {
        var t = translate("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "news?"}],
                 "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 5}]}
                """);
        assertNotNull(t.untranslatable());
        assertEquals(400, t.untranslatable().status());
        assertTrue(t.untranslatable().getMessage().startsWith("tools.0.type: 'web_search_20250305' is a server tool"),
                t.untranslatable().getMessage());
        var mcp = translate("""
                {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}],
                 "mcp_servers": [{"type": "url", "url": "https://example.com/sse", "name": "example"}]}
                """);
        assertTrue(mcp.untranslatable().getMessage().startsWith("mcp_servers:"), mcp.untranslatable().getMessage());
    }

    @Test
    void malformedRequestsAreRefusedNamingTheField() {
        ApiException noMax = assertThrows(ApiException.class, () -> translate(
                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"));
        assertTrue(noMax.getMessage().startsWith("max_tokens: Field required"), noMax.getMessage());
        ApiException role = assertThrows(ApiException.class, () -> translate(
                "{\"model\": \"m\", \"max_tokens\": 5, \"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}"));
        assertTrue(role.getMessage().startsWith("messages.0.role:"), role.getMessage());
        ApiException noMessages = assertThrows(ApiException.class, () -> translate(
                "{\"model\": \"m\", \"max_tokens\": 5, \"messages\": []}"));
        assertTrue(noMessages.getMessage().startsWith("messages:"), noMessages.getMessage());
    }
}
