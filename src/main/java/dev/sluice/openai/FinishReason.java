package dev.sluice.openai;

/**
 * OpenAI's finish reasons: the vocabulary every translating adapter maps its provider's stop reasons to, so that
 * clients branch on one set of values whichever model answered.
 */
public enum FinishReason {
    /** A natural end, or a stop sequence was hit. */
    STOP("stop"),
    /** The output-token limit (or the context window) was reached. */
    LENGTH("length"),
    /** The model asked for tool calls. */
    TOOL_CALLS("tool_calls"),
    /** The provider withheld or cut the answer (safety, refusal). */
    CONTENT_FILTER("content_filter");

    private final String wire;

    FinishReason(String wire) {
        this.wire = wire;
    }

    /** The value of {@code finish_reason} on the wire. */
    public String wire() {
        return wire;
    }
}
