package dev.sluice.money;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token counts of one request, read from OpenAI's {@code usage} object (which every adapter produces):
 * {@code prompt} includes cached and cache-written tokens, {@code completion} includes reasoning tokens.
 */
public record Usage(long prompt, long completion, long cached, long cacheWrite, long reasoning) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);

    public static Usage of(JsonNode u) {
        JsonNode details = u.path("prompt_tokens_details");
        long prompt = nonNegative(u.path("prompt_tokens").asLong(0));
        long cached = nonNegative(details.path("cached_tokens").asLong(0));
        // cache writes as Sluice's adapters report them (cache_creation_tokens), or as other gateways do
        long cacheWrite = nonNegative(details.path("cache_creation_tokens").asLong(
                details.path("cache_write_tokens").asLong(u.path("cache_creation_input_tokens").asLong(0))));
        long completion = nonNegative(u.path("completion_tokens").asLong(0));
        long reasoning = nonNegative(u.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
        return new Usage(prompt, completion, Math.min(cached, prompt), Math.min(cacheWrite, prompt), reasoning);
    }

    public long total() {
        return prompt + completion;
    }

    private static long nonNegative(long v) {
        return Math.max(0, v);
    }
}
