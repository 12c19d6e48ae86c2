package dev.sluice.provider.anthropic;

/**
 * The vocabulary of Anthropic's Messages API that this adapter reads and writes: paths, headers, stream event
 * types, content block types, delta types and stop reasons. Private to the adapter; nothing else in Sluice
 * speaks Anthropic's format.
 */
final class AnthropicWire {

    static final String MESSAGES_PATH = "/v1/messages";
    static final String MODELS_PATH = "/v1/models";
    static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

    static final String API_KEY_HEADER = "x-api-key";
    static final String VERSION_HEADER = "anthropic-version";
    static final String REQUEST_ID_HEADER = "request-id";

    // stream events
    static final String MESSAGE_START = "message_start";
    static final String CONTENT_BLOCK_START = "content_block_start";
    static final String CONTENT_BLOCK_DELTA = "content_block_delta";
    static final String CONTENT_BLOCK_STOP = "content_block_stop";
    static final String MESSAGE_DELTA = "message_delta";
    static final String MESSAGE_STOP = "message_stop";
    static final String PING = "ping";
    static final String ERROR = "error";

    // content blocks
    static final String TEXT = "text";
    static final String IMAGE = "image";
    static final String DOCUMENT = "document";
    static final String TOOL_USE = "tool_use";
    static final String TOOL_RESULT = "tool_result";
    static final String THINKING = "thinking";
    static final String REDACTED_THINKING = "redacted_thinking";
    static final String SERVER_TOOL_USE = "server_tool_use";
    static final String WEB_SEARCH_TOOL_RESULT = "web_search_tool_result";

    /** The name of Anthropic's web search server tool. */
    static final String WEB_SEARCH = "web_search";

    // citations of a text block
    static final String CITATIONS = "citations";
    static final String WEB_SEARCH_RESULT_LOCATION = "web_search_result_location";
    static final String SEARCH_RESULT_LOCATION = "search_result_location";

    // deltas
    static final String TEXT_DELTA = "text_delta";
    static final String INPUT_JSON_DELTA = "input_json_delta";
    static final String THINKING_DELTA = "thinking_delta";
    static final String SIGNATURE_DELTA = "signature_delta";
    static final String CITATIONS_DELTA = "citations_delta";

    // stop reasons
    static final String END_TURN = "end_turn";
    static final String STOP_SEQUENCE = "stop_sequence";
    static final String MAX_TOKENS = "max_tokens";
    static final String TOOL_USE_STOP = "tool_use";
    static final String PAUSE_TURN = "pause_turn";
    static final String REFUSAL = "refusal";
    static final String CONTEXT_WINDOW_EXCEEDED = "model_context_window_exceeded";

    /** The OpenAI message field that carries signed thinking blocks between turns. */
    static final String THINKING_BLOCKS = "thinking_blocks";

    private AnthropicWire() {
    }
}
