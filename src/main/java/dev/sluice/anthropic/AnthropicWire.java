package dev.sluice.anthropic;

/**
 * The vocabulary of Anthropic's Messages API, spoken by two packages: the {@code /v1/messages} ingress (what
 * Claude Code and the Anthropic SDKs send and expect) and the Anthropic adapter (what Anthropic's API, and
 * Bedrock's form of it, answer): paths, headers, stream event types, content block and delta types, stop reasons,
 * error types. Like {@code dev.sluice.openai}, it depends on nothing of Sluice's.
 */
public final class AnthropicWire {

    public static final String MESSAGES_PATH = "/v1/messages";
    public static final String MODELS_PATH = "/v1/models";
    public static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

    public static final String API_KEY_HEADER = "x-api-key";
    public static final String VERSION_HEADER = "anthropic-version";
    public static final String REQUEST_ID_HEADER = "request-id";
    public static final String BETA_HEADER = "anthropic-beta";
    public static final String DEFAULT_VERSION = "2023-06-01";

    // stream events
    public static final String MESSAGE_START = "message_start";
    public static final String CONTENT_BLOCK_START = "content_block_start";
    public static final String CONTENT_BLOCK_DELTA = "content_block_delta";
    public static final String CONTENT_BLOCK_STOP = "content_block_stop";
    public static final String MESSAGE_DELTA = "message_delta";
    public static final String MESSAGE_STOP = "message_stop";
    public static final String PING = "ping";
    public static final String ERROR = "error";

    // content blocks
    public static final String TEXT = "text";
    public static final String IMAGE = "image";
    public static final String DOCUMENT = "document";
    public static final String TOOL_USE = "tool_use";
    public static final String TOOL_RESULT = "tool_result";
    public static final String THINKING = "thinking";
    public static final String REDACTED_THINKING = "redacted_thinking";
    public static final String SERVER_TOOL_USE = "server_tool_use";
    public static final String WEB_SEARCH_TOOL_RESULT = "web_search_tool_result";

    /** The name of Anthropic's web search server tool. */
    public static final String WEB_SEARCH = "web_search";

    // citations of a text block
    public static final String CITATIONS = "citations";
    public static final String WEB_SEARCH_RESULT_LOCATION = "web_search_result_location";
    public static final String SEARCH_RESULT_LOCATION = "search_result_location";

    // deltas
    public static final String TEXT_DELTA = "text_delta";
    public static final String INPUT_JSON_DELTA = "input_json_delta";
    public static final String THINKING_DELTA = "thinking_delta";
    public static final String SIGNATURE_DELTA = "signature_delta";
    public static final String CITATIONS_DELTA = "citations_delta";

    // stop reasons
    public static final String END_TURN = "end_turn";
    public static final String STOP_SEQUENCE = "stop_sequence";
    public static final String MAX_TOKENS = "max_tokens";
    public static final String TOOL_USE_STOP = "tool_use";
    public static final String PAUSE_TURN = "pause_turn";
    public static final String REFUSAL = "refusal";
    public static final String CONTEXT_WINDOW_EXCEEDED = "model_context_window_exceeded";

    /** The OpenAI message field that carries signed thinking blocks between turns. */
    public static final String THINKING_BLOCKS = "thinking_blocks";

    // error types
    public static final String INVALID_REQUEST_ERROR = "invalid_request_error";
    public static final String AUTHENTICATION_ERROR = "authentication_error";
    public static final String PERMISSION_ERROR = "permission_error";
    public static final String NOT_FOUND_ERROR = "not_found_error";
    public static final String REQUEST_TOO_LARGE = "request_too_large";
    public static final String RATE_LIMIT_ERROR = "rate_limit_error";
    public static final String API_ERROR = "api_error";
    public static final String OVERLOADED_ERROR = "overloaded_error";

    private AnthropicWire() {
    }
}
