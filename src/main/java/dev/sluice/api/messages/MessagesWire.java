package dev.sluice.api.messages;

/**
 * The headers the {@code /v1/messages} ingress reads or writes that are not Anthropic's API itself (Claude Code's
 * session, Sluice's own); Anthropic's vocabulary is {@link dev.sluice.anthropic.AnthropicWire}.
 */
final class MessagesWire {

    static final String SESSION_HEADER = "x-claude-code-session-id";
    /** Says how count_tokens counted: {@code exact} (Anthropic's own endpoint) or {@code estimate}. */
    static final String TOKEN_COUNT_HEADER = "x-sluice-token-count";

    private MessagesWire() {
    }
}
