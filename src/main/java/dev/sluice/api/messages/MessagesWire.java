package dev.sluice.api.messages;

/**
 * The vocabulary of Anthropic's Messages API as Sluice's {@code /v1/messages} ingress reads and writes it: paths,
 * headers, event, block, delta and error types, stop reasons. Private to this package (the Anthropic provider
 * adapter keeps its own, as each wire protocol's vocabulary stays with its code).
 */
final class MessagesWire {

    static final String MESSAGES_PATH = "/v1/messages";
    static final String COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

    static final String VERSION_HEADER = "anthropic-version";
    static final String BETA_HEADER = "anthropic-beta";
    static final String REQUEST_ID_HEADER = "request-id";
    static final String SESSION_HEADER = "x-claude-code-session-id";
    static final String DEFAULT_VERSION = "2023-06-01";
    /** Says how count_tokens counted: {@code exact} (Anthropic's own endpoint) or {@code estimate}. */
    static final String TOKEN_COUNT_HEADER = "x-sluice-token-count";

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

    // deltas
    static final String TEXT_DELTA = "text_delta";
    static final String INPUT_JSON_DELTA = "input_json_delta";
    static final String THINKING_DELTA = "thinking_delta";
    static final String SIGNATURE_DELTA = "signature_delta";

    // stop reasons
    static final String END_TURN = "end_turn";
    static final String MAX_TOKENS = "max_tokens";
    static final String TOOL_USE_STOP = "tool_use";
    static final String REFUSAL = "refusal";

    // error types
    static final String INVALID_REQUEST_ERROR = "invalid_request_error";
    static final String AUTHENTICATION_ERROR = "authentication_error";
    static final String PERMISSION_ERROR = "permission_error";
    static final String NOT_FOUND_ERROR = "not_found_error";
    static final String REQUEST_TOO_LARGE = "request_too_large";
    static final String RATE_LIMIT_ERROR = "rate_limit_error";
    static final String API_ERROR = "api_error";
    static final String OVERLOADED_ERROR = "overloaded_error";

    private MessagesWire() {
    }
}
