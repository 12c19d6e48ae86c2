package dev.sluice.provider.gemini;

import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.provider.ParameterPolicy;
import dev.sluice.provider.ParameterPolicy.Content;

import java.util.Set;

import static dev.sluice.provider.ParameterPolicy.above;
import static dev.sluice.provider.ParameterPolicy.beyondInt;
import static dev.sluice.provider.ParameterPolicy.nonEmptyObject;
import static dev.sluice.provider.ParameterPolicy.otherThan;
import static dev.sluice.provider.ParameterPolicy.present;

/**
 * What the Gemini API can do with OpenAI's chat parameters, as the field table of docs/providers.md states it:
 * the request mapper translates what is mapped, and the shared checker refuses the rest before anything is sent.
 */
final class GeminiCapabilities {

    /** How many candidates Gemini returns at most ({@code candidateCount}). */
    static final int MAX_CANDIDATES = 8;

    static final ParameterPolicy POLICY = ParameterPolicy.builder("Gemini")
            .mapped("messages", "max_completion_tokens", "max_tokens", "stop", "temperature", "top_p", "top_k",
                    "frequency_penalty", "presence_penalty", "logprobs", "top_logprobs", "tools", "tool_choice",
                    "response_format", "reasoning_effort", "web_search_options", "stream_options")
            .mapped("n", above(ChatCompletionRequest::n, MAX_CANDIDATES),
                    "Gemini returns at most " + MAX_CANDIDATES + " candidates")
            .refused("logit_bias", nonEmptyObject("logit_bias"), "Gemini has no token biasing")
            .mapped("modalities", otherThan("modalities", Set.of("text", "image")),
                    "Sluice's Gemini adapter returns text and images, not {value}")
            .refused("audio", present("audio"), "Sluice's Gemini adapter returns text and images, not audio")
            .refused("moderation", present("moderation"), "Gemini has no moderation of requests and answers by a "
                    + "moderation model (its safety filters are set with safetySettings)")
            .mapped("seed", beyondInt(ChatCompletionRequest::seed), "Gemini takes a 32-bit seed")
            .ignored("user", "safety_identifier", "metadata", "parallel_tool_calls", "store", "service_tier",
                    "prediction", "verbosity", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention",
                    "thinking")
            .refusedContent(Content.SYSTEM_PART, "Gemini takes only text in a system instruction")
            .refusedContent(Content.TOOL_RESULT_PART, "a tool result sent to Gemini holds only text")
            .refusedContent(Content.OTHER_PART, "Gemini cannot take a '{value}' content part")
            .refusedContent(Content.ROLE, "'{value}' messages are not supported")
            .build();

    private GeminiCapabilities() {
    }
}
