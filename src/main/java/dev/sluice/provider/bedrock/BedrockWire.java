package dev.sluice.provider.bedrock;

/**
 * The vocabulary of Amazon Bedrock's Converse API (and of InvokeModel for Anthropic's models) that this adapter
 * reads and writes: paths, headers, event-stream header names, event types, content blocks and stop reasons.
 * Private to the adapter.
 */
final class BedrockWire {

    static final String SIGNING_NAME = "bedrock";
    static final String CONVERSE = "/converse";
    static final String CONVERSE_STREAM = "/converse-stream";
    static final String MODEL_PATH = "/model/";
    static final String FOUNDATION_MODELS = "/foundation-models";
    static final String INFERENCE_PROFILES = "/inference-profiles";

    // InvokeModel with Anthropic's Messages body
    static final String INVOKE = "/invoke";
    static final String INVOKE_STREAM = "/invoke-with-response-stream";
    static final String COUNT_TOKENS = "/count-tokens";
    /** The only {@code anthropic_version} Bedrock accepts in an Anthropic Messages body. */
    static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";
    static final String ANTHROPIC_VERSION_FIELD = "anthropic_version";
    static final String ANTHROPIC_BETA_FIELD = "anthropic_beta";
    /** The client's beta list, as the Messages ingress forwards it (lower case). */
    static final String ANTHROPIC_BETA_HEADER = "anthropic-beta";
    /** The event of InvokeModelWithResponseStream whose payload carries one model event, base64 in {@code bytes}. */
    static final String CHUNK = "chunk";

    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
    static final String ERROR_TYPE_HEADER = "x-amzn-errortype";
    static final String REQUEST_ID_HEADER = "x-amzn-requestid";

    // event-stream message headers
    static final String MESSAGE_TYPE = ":message-type";
    static final String EVENT_TYPE = ":event-type";
    static final String EXCEPTION_TYPE = ":exception-type";
    static final String ERROR_CODE = ":error-code";
    static final String EVENT = "event";
    static final String EXCEPTION = "exception";
    static final String ERROR = "error";

    // stream events
    static final String MESSAGE_START = "messageStart";
    static final String CONTENT_BLOCK_START = "contentBlockStart";
    static final String CONTENT_BLOCK_DELTA = "contentBlockDelta";
    static final String CONTENT_BLOCK_STOP = "contentBlockStop";
    static final String MESSAGE_STOP = "messageStop";
    static final String METADATA = "metadata";

    // content blocks
    static final String TEXT = "text";
    static final String IMAGE = "image";
    static final String DOCUMENT = "document";
    static final String TOOL_USE = "toolUse";
    static final String TOOL_RESULT = "toolResult";
    static final String REASONING = "reasoningContent";
    static final String REASONING_TEXT = "reasoningText";
    static final String REDACTED = "redactedContent";
    static final String CACHE_POINT = "cachePoint";

    // stop reasons
    static final String END_TURN = "end_turn";
    static final String TOOL_USE_STOP = "tool_use";
    static final String MAX_TOKENS = "max_tokens";
    static final String STOP_SEQUENCE = "stop_sequence";
    static final String GUARDRAIL = "guardrail_intervened";
    static final String CONTENT_FILTERED = "content_filtered";
    static final String CONTEXT_WINDOW_EXCEEDED = "model_context_window_exceeded";

    /** The OpenAI message field that carries signed reasoning blocks between turns (as for Anthropic). */
    static final String THINKING_BLOCKS = "thinking_blocks";

    private BedrockWire() {
    }
}
