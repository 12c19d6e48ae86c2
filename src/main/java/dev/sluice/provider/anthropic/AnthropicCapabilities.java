package dev.sluice.provider.anthropic;

import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.provider.ParameterPolicy;
import dev.sluice.provider.ParameterPolicy.Content;

import java.util.Set;

import static dev.sluice.provider.ParameterPolicy.above;
import static dev.sluice.provider.ParameterPolicy.enabled;
import static dev.sluice.provider.ParameterPolicy.nonEmptyObject;
import static dev.sluice.provider.ParameterPolicy.otherThan;
import static dev.sluice.provider.ParameterPolicy.present;
import static dev.sluice.provider.ParameterPolicy.set;

/**
 * What the Anthropic Messages API can do with OpenAI's chat parameters, as the field table of docs/providers.md
 * states it: the request mapper translates what is mapped, and the shared checker refuses the rest before anything
 * is sent.
 */
final class AnthropicCapabilities {

    static final ParameterPolicy POLICY = ParameterPolicy.builder("Anthropic")
            .mapped("messages", "max_completion_tokens", "max_tokens", "stop", "top_p", "top_k", "tools",
                    "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort", "thinking",
                    "web_search_options", "user", "safety_identifier", "stream_options")
            .mapped("n", above(ChatCompletionRequest::n, 1), "Anthropic returns a single choice per request")
            .refused("top_logprobs", set(ChatCompletionRequest::topLogprobs),
                    "Anthropic does not return token log probabilities")
            .refused("logprobs", enabled(ChatCompletionRequest::logprobs),
                    "Anthropic does not return token log probabilities")
            .refused("logit_bias", nonEmptyObject("logit_bias"), "Anthropic has no token biasing")
            .mapped("modalities", otherThan("modalities", Set.of("text")), "Anthropic answers with text only")
            .refused("audio", present("audio"), "Anthropic answers with text only")
            .refused("moderation", present("moderation"), "Anthropic has no moderation of requests and answers by "
                    + "a moderation model")
            .mapped("temperature", above(ChatCompletionRequest::temperature, 1),
                    "Anthropic accepts a temperature between 0 and 1")
            .ignored("frequency_penalty", "presence_penalty", "seed", "metadata", "service_tier", "store",
                    "prediction", "verbosity", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention")
            .refusedContent(Content.SYSTEM_PART, "Anthropic takes only text in a system prompt")
            .refusedContent(Content.TOOL_RESULT_PART, "a tool result sent to Anthropic holds only text and images")
            .refusedContent(Content.AUDIO_INPUT, "Anthropic does not accept audio input")
            .refusedContent(Content.IMAGE_TYPE, "Anthropic accepts JPEG, PNG, GIF and WebP images, not {value}")
            .refusedContent(Content.DOCUMENT_TYPE, "Anthropic accepts PDF and plain-text documents, not {value}")
            .refusedContent(Content.ROLE, "'{value}' messages are not supported; use 'tool' messages for tool results")
            .build();

    private AnthropicCapabilities() {
    }
}
