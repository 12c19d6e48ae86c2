package dev.sluice.api.messages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static dev.sluice.testing.JsonAssert.assertJson;

/** OpenAI completions translated into whole Anthropic messages, compared whole. */
class MessagesResponseTranslatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void thinkingTextAndTwoToolUses() throws Exception {
        ObjectNode completion = (ObjectNode) MAPPER.readTree("""
                {"id": "chatcmpl-abc", "object": "chat.completion", "created": 1, "model": "gpt-4o",
                 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant",
                   "reasoning_content": "Two cities: two calls.",
                   "content": "I'll check both.",
                   "tool_calls": [
                     {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"location\\":\\"Paris\\"}"}},
                     {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"location\\":\\"Rome\\"}"}}]}}],
                 "usage": {"prompt_tokens": 2095, "completion_tokens": 503, "total_tokens": 2598,
                           "prompt_tokens_details": {"cached_tokens": 1024}}}
                """);
        assertJson("""
                {"id": "msg_chatcmpl-abc", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [
                   {"type": "thinking", "thinking": "Two cities: two calls.", "signature": ""},
                   {"type": "text", "text": "I'll check both."},
                   {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"location": "Paris"}},
                   {"type": "tool_use", "id": "call_2", "name": "get_weather", "input": {"location": "Rome"}}],
                 "stop_reason": "tool_use", "stop_sequence": null,
                 "usage": {"input_tokens": 1071, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1024,
                           "output_tokens": 503}}
                """, MessagesResponseTranslator.toMessage(completion, "claude-sonnet-4-5", MAPPER).toString());
    }

    /** The reference's plain answer, with a signed thinking block an Anthropic translation carried. */
    @Test
    void signedThinkingAndMaxTokens() throws Exception {
        ObjectNode completion = (ObjectNode) MAPPER.readTree("""
                {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "object": "chat.completion", "created": 1, "model": "claude",
                 "choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant",
                   "content": "Hi! My name is Claude.", "reasoning_content": "greet",
                   "thinking_blocks": [{"type": "thinking", "thinking": "greet", "signature": "EqQBCgIYAhIM"}]}}],
                 "usage": {"prompt_tokens": 2095, "completion_tokens": 503, "total_tokens": 2598,
                           "prompt_tokens_details": {"cached_tokens": 0, "cache_creation_tokens": 95}}}
                """);
        assertJson("""
                {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant", "model": "claude-opus-4-7",
                 "content": [{"type": "thinking", "thinking": "greet", "signature": "EqQBCgIYAhIM"},
                             {"type": "text", "text": "Hi! My name is Claude."}],
                 "stop_reason": "max_tokens", "stop_sequence": null,
                 "usage": {"input_tokens": 2000, "cache_creation_input_tokens": 95, "cache_read_input_tokens": 0,
                           "output_tokens": 503}}
                """, MessagesResponseTranslator.toMessage(completion, "claude-opus-4-7", MAPPER).toString());
    }
}
