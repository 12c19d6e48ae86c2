package dev.sluice.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token counts of one completion in OpenAI's terms, as a translating adapter derives them from its provider's
 * report. {@code promptTokens} counts every input token, cached or not, as OpenAI does; the cached part is also
 * given on its own so that billing can price it.
 *
 * @param promptTokens     all input tokens (fresh, read from the cache and written to it)
 * @param completionTokens all output tokens, reasoning included
 * @param cachedTokens     input tokens read from the provider's prompt cache
 * @param cacheWriteTokens input tokens written to the provider's prompt cache (0 where the provider has no such
 *                         notion); reported as {@code prompt_tokens_details.cache_creation_tokens}
 * @param reasoningTokens  output tokens spent on reasoning, when the provider reports them separately
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                         long reasoningTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * OpenAI's {@code usage} object: {@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens},
     * {@code prompt_tokens_details.cached_tokens} (always present, as OpenAI sends it), plus
     * {@code prompt_tokens_details.cache_creation_tokens} and {@code completion_tokens_details.reasoning_tokens}
     * when they are not zero.
     */
    public ObjectNode toJson(JsonNodeFactory json) {
        ObjectNode usage = json.objectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", totalTokens());
        ObjectNode prompt = usage.putObject("prompt_tokens_details");
        prompt.put("cached_tokens", cachedTokens);
        if (cacheWriteTokens > 0) {
            prompt.put("cache_creation_tokens", cacheWriteTokens);
        }
        if (reasoningTokens > 0) {
            usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
        }
        return usage;
    }
}
