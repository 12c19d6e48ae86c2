package dev.sluice.provider;

/**
 * The wire protocols a client can speak to Sluice and an upstream can speak to it. Inside, Sluice speaks OpenAI's
 * chat completions; a request that arrives in another protocol is translated to it at the edge, and when the
 * upstream chosen for an attempt speaks the client's own protocol the request is passed through instead
 * ({@link Passthrough}). Providers say which protocols they can take as they are ({@link Provider#speaks}).
 */
public enum WireProtocol {

    /** OpenAI's {@code POST /v1/chat/completions}: Sluice's own vocabulary. */
    OPENAI_CHAT,

    /** Anthropic's {@code POST /v1/messages}. */
    ANTHROPIC_MESSAGES,

    /** OpenAI's {@code POST /v1/responses}. */
    OPENAI_RESPONSES
}
