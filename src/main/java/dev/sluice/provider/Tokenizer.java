package dev.sluice.provider;

/**
 * Whose tokenizer counts a provider's models, so that Sluice can count a prompt before the upstream does (for
 * reservations, tpm limits and retrieval's budget) without knowing provider kinds outside this package.
 */
public enum Tokenizer {
    /** OpenAI's published tokenizers: counts are exact for OpenAI's model names (OpenAI, Azure OpenAI). */
    OPENAI,
    /** Anthropic's Claude models, whatever their names. */
    CLAUDE,
    /** Google's Gemini and Gemma models, whatever their names. */
    GEMINI,
    /** A provider serving several vendors' models (a router, Bedrock, a local server): the model's name decides. */
    BY_MODEL_NAME;

    /**
     * The tokenizer of a provider kind's models, for a provider that does not say ({@link ProviderProfile#tokenizer()})
     * and for callers that know only a kind.
     */
    public static Tokenizer ofKind(String kind) {
        if (kind == null) {
            return BY_MODEL_NAME;
        }
        return switch (kind) {
            case "openai", "azure" -> OPENAI;
            case "anthropic" -> CLAUDE;
            case "gemini" -> GEMINI;
            default -> BY_MODEL_NAME;
        };
    }
}
