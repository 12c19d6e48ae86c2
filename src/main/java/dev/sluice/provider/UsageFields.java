package dev.sluice.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.openai.TokenUsage;

/**
 * Where an upstream that counts fresh input, cache reads and cache writes apart (Anthropic's API, Bedrock's
 * Converse) reports its token counts: the names of its four fields. OpenAI's {@code prompt_tokens} is the sum of
 * the three input counts.
 */
public record UsageFields(String input, String cacheRead, String cacheWrite, String output) {

    /** The usage an answer reports; a count it leaves out is 0. */
    public TokenUsage read(JsonNode usage) {
        return usage(usage.path(input).asLong(0), usage.path(cacheRead).asLong(0), usage.path(cacheWrite).asLong(0),
                usage.path(output).asLong(0));
    }

    /** The usage in OpenAI's terms: every input token, cached or written to the cache, is a prompt token. */
    public static TokenUsage usage(long input, long cacheRead, long cacheWrite, long output) {
        return new TokenUsage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, 0);
    }
}
