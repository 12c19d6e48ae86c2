package dev.sluice.provider.anthropic;

/**
 * Anthropic Messages API wire cases, written after the examples of Anthropic's public API reference (Messages,
 * Streaming messages, Tool use, Vision, Extended thinking, Prompt caching, Structured outputs, Errors, Models).
 * Stream fixtures keep the real SSE framing: {@code event:} and {@code data:} lines, a blank line between events.
 */
final class AnthropicFixtures {

    private AnthropicFixtures() {
    }

    /** Messages reference: the answer to "Hello, world". */
    static final String TEXT_MESSAGE = """
            {
              "content": [{"text": "Hi! My name is Claude.", "type": "text"}],
              "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
              "model": "claude-sonnet-4-20250514",
              "role": "assistant",
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "type": "message",
              "usage": {"input_tokens": 2095, "output_tokens": 503}
            }
            """;

    /** Tool use guide: Claude explains, then calls get_weather. */
    static final String TOOL_USE_MESSAGE = """
            {
              "id": "msg_01Aq9w938a90dw8q",
              "model": "claude-sonnet-4-5-20250929",
              "stop_reason": "tool_use",
              "role": "assistant",
              "type": "message",
              "content": [
                {"type": "text", "text": "I'll check the current weather in San Francisco for you."},
                {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather",
                 "input": {"location": "San Francisco, CA", "unit": "celsius"}}
              ],
              "usage": {"input_tokens": 384, "output_tokens": 67}
            }
            """;

    /** Extended thinking guide: a thinking block with its signature, then the answer. */
    static final String THINKING_MESSAGE = """
            {
              "id": "msg_01ThinkingExample",
              "type": "message",
              "role": "assistant",
              "model": "claude-sonnet-4-5-20250929",
              "content": [
                {"type": "thinking", "thinking": "To approach this, let's think about what we know about prime numbers...",
                 "signature": "zbbJhbGciOiJFU8zI1NiIsImtakcjsu38219c0.eyJoYXNoIjoiYWJjMTIzIiwiaWF0IjoxNjE0NTM0NTY3fQ"},
                {"type": "text", "text": "Yes, there are infinitely many prime numbers such that..."}
              ],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {"input_tokens": 56, "output_tokens": 1180}
            }
            """;

    /** Extended thinking guide: a redacted thinking block. */
    static final String REDACTED_THINKING_MESSAGE = """
            {
              "id": "msg_01Redacted",
              "type": "message",
              "role": "assistant",
              "model": "claude-sonnet-4-5-20250929",
              "content": [
                {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
                {"type": "text", "text": "I cannot share my reasoning on that, but the answer is 42."}
              ],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {"input_tokens": 40, "output_tokens": 90}
            }
            """;

    /** Prompt caching guide: a cached system prompt written on the first call... */
    static final String CACHE_WRITE_MESSAGE = """
            {
              "id": "msg_01CacheWrite",
              "type": "message",
              "role": "assistant",
              "model": "claude-sonnet-4-5-20250929",
              "content": [{"type": "text", "text": "Pride and Prejudice is a story of manners and marriage."}],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {"input_tokens": 21, "cache_creation_input_tokens": 188086, "cache_read_input_tokens": 0,
                        "output_tokens": 393}
            }
            """;

    /** ... and read on the next. */
    static final String CACHE_READ_MESSAGE = """
            {
              "id": "msg_01CacheRead",
              "type": "message",
              "role": "assistant",
              "model": "claude-sonnet-4-5-20250929",
              "content": [{"type": "text", "text": "The main themes are pride, prejudice and class."}],
              "stop_reason": "max_tokens",
              "stop_sequence": null,
              "usage": {"input_tokens": 21, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 188086,
                        "output_tokens": 1024}
            }
            """;

    /** Structured outputs guide: JSON outputs answer in a text block. */
    static final String STRUCTURED_MESSAGE = """
            {
              "id": "msg_01Structured",
              "type": "message",
              "role": "assistant",
              "model": "claude-sonnet-4-5-20250929",
              "content": [{"type": "text",
                           "text": "{\\"name\\":\\"John Smith\\",\\"email\\":\\"john@example.com\\",\\"plan_interest\\":\\"Enterprise\\",\\"demo_requested\\":true}"}],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {"input_tokens": 120, "output_tokens": 38}
            }
            """;

    /** A model without native structured outputs answering through the forced tool. */
    static final String FORCED_TOOL_MESSAGE = """
            {
              "id": "msg_01ForcedTool",
              "type": "message",
              "role": "assistant",
              "model": "claude-3-5-haiku-20241022",
              "content": [{"type": "tool_use", "id": "toolu_01Forced", "name": "contact",
                           "input": {"name": "John Smith", "email": "john@example.com"}}],
              "stop_reason": "tool_use",
              "stop_sequence": null,
              "usage": {"input_tokens": 410, "output_tokens": 52}
            }
            """;

    /** Handling stop reasons: a refusal. */
    static final String REFUSAL_MESSAGE = """
            {
              "id": "msg_01Refusal",
              "type": "message",
              "role": "assistant",
              "model": "claude-sonnet-4-5-20250929",
              "content": [{"type": "text", "text": "I can't help with that."}],
              "stop_reason": "refusal",
              "stop_sequence": null,
              "usage": {"input_tokens": 15, "output_tokens": 8}
            }
            """;

    /** Streaming messages: the basic example ("Hello!"), with a ping. */
    static final String TEXT_STREAM = """
            event: message_start
            data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}

            event: content_block_start
            data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

            event: content_block_stop
            data: {"type": "content_block_stop", "index": 0}

            event: message_delta
            data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

            event: message_stop
            data: {"type": "message_stop"}
            """;

    /** Streaming messages: text, then a tool call whose input arrives in many input_json_delta fragments. */
    static final String TOOL_USE_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", let's check the weather for San Francisco, CA:"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" Francisc"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"o,"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" CA\\""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":", "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"unit\\": \\"fah"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"renheit\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

            event: message_stop
            data: {"type":"message_stop"}
            """;

    /** Streaming messages: extended thinking (thinking deltas, a signature), then the answer; no usage reported. */
    static final String THINKING_STREAM = """
            event: message_start
            data: {"type": "message_start", "message": {"id": "msg_01ThinkStream", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929", "stop_reason": null, "stop_sequence": null}}

            event: content_block_start
            data: {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\\n\\n1071 = 2 × 462 + 147"}}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "\\n462 = 3 × 147 + 21\\n147 = 7 × 21 + 0\\n\\nSo GCD(1071, 462) = 21"}}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}

            event: content_block_stop
            data: {"type": "content_block_stop", "index": 0}

            event: content_block_start
            data: {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "The greatest common divisor of 1071 and 462 is **21**."}}

            event: content_block_stop
            data: {"type": "content_block_stop", "index": 1}

            event: message_delta
            data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}}

            event: message_stop
            data: {"type": "message_stop"}
            """;

    /** Streaming messages: an overloaded_error arriving after the stream started. */
    static final String ERROR_STREAM = """
            event: message_start
            data: {"type": "message_start", "message": {"id": "msg_01Overloaded", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}

            event: content_block_start
            data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

            event: content_block_delta
            data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Once upon"}}

            event: error
            data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
            """;

    /** Prompt caching with streaming: cache counts in message_start, cumulative output in message_delta. */
    static final String CACHED_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01CachedStream","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":188086,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Pride and Prejudice"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":1024}}

            event: message_stop
            data: {"type":"message_stop"}
            """;

    /** A model without native structured outputs streaming its answer through the forced tool. */
    static final String FORCED_TOOL_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01ForcedStream","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":410,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01Forced","name":"contact","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"name\\": \\"John"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":" Smith\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":20}}

            event: message_stop
            data: {"type":"message_stop"}
            """;

    /**
     * Web search tool guide: Claude searches (server_tool_use, web_search_tool_result, both run by Anthropic) and
     * answers in text blocks, the cited one carrying a web_search_result_location citation.
     */
    static final String WEB_SEARCH_MESSAGE = """
            {
              "id": "msg_01Web5earchShannon",
              "type": "message",
              "role": "assistant",
              "model": "claude-opus-4-1-20250805",
              "content": [
                {"type": "text", "text": "I'll search for when Claude Shannon was born."},
                {"type": "server_tool_use", "id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE", "name": "web_search",
                 "input": {"query": "claude shannon birth date"}},
                {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE",
                 "content": [{"type": "web_search_result", "url": "https://en.wikipedia.org/wiki/Claude_Shannon",
                              "title": "Claude Shannon - Wikipedia",
                              "encrypted_content": "EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5LTQ1NGUtODgxNC1kNjNjNTk1ZWI3Y",
                              "page_age": "April 30, 2025"}]},
                {"type": "text", "text": "Based on the search results, "},
                {"type": "text", "text": "Claude Shannon was born on April 30, 1916, in Petoskey, Michigan",
                 "citations": [{"type": "web_search_result_location", "url": "https://en.wikipedia.org/wiki/Claude_Shannon",
                                "title": "Claude Shannon - Wikipedia", "encrypted_index": "Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm",
                                "cited_text": "Claude Elwood Shannon (April 30, 1916 – February 24, 2001) was an American mathematician, electrical engineer, computer scientist, cryptographer and i..."}]}
              ],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {"input_tokens": 6039, "output_tokens": 931, "server_tool_use": {"web_search_requests": 1}}
            }
            """;

    /** Web search tool guide, streaming: the search runs first, then a cited text block with a citations_delta. */
    static final String WEB_SEARCH_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01Web5earchStream","type":"message","role":"assistant","model":"claude-opus-4-1-20250805","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2679,"output_tokens":3}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","name":"web_search","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"query\\":\\"weather NYC today\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","content":[{"type":"web_search_result","title":"Weather in New York City in May 2025","url":"https://www.weather.com/nyc","encrypted_content":"Ev0DCioIAxgCIiQ3NmU4ZmI4OC1k","page_age":null}]}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Here's the current weather: "}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: content_block_start
            data: {"type":"content_block_start","index":3,"content_block":{"type":"text","text":"","citations":[]}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":3,"delta":{"type":"citations_delta","citation":{"type":"web_search_result_location","cited_text":"Sunny, 75°F with light winds...","url":"https://www.weather.com/nyc","title":"Weather in New York City in May 2025","encrypted_index":"EpMBCioIAxgCIiQ4ODk4"}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"sunny, 75°F"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":" in Manhattan."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":3}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":510,"server_tool_use":{"web_search_requests":1}}}

            event: message_stop
            data: {"type":"message_stop"}
            """;

    /** Errors reference: the body of every error. */
    static String error(String type, String message) {
        return "{\"type\": \"error\", \"error\": {\"type\": \"" + type + "\", \"message\": \"" + message + "\"}, "
                + "\"request_id\": \"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    }

    /** Models reference: a page of the model list. */
    static String modelsPage(boolean hasMore, String... ids) {
        StringBuilder data = new StringBuilder();
        for (String id : ids) {
            if (!data.isEmpty()) {
                data.append(',');
            }
            data.append("{\"created_at\": \"2025-02-19T00:00:00Z\", \"display_name\": \"").append(id)
                    .append("\", \"id\": \"").append(id).append("\", \"type\": \"model\"}");
        }
        return "{\"data\": [" + data + "], \"first_id\": \"" + ids[0] + "\", \"has_more\": " + hasMore
                + ", \"last_id\": \"" + ids[ids.length - 1] + "\"}";
    }
}
