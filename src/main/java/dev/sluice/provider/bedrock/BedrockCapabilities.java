package dev.sluice.provider.bedrock;

import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.provider.ParameterPolicy;
import dev.sluice.provider.ParameterPolicy.Content;

import java.util.Set;

import static dev.sluice.provider.ParameterPolicy.above;
import static dev.sluice.provider.ParameterPolicy.enabled;
import static dev.sluice.provider.ParameterPolicy.nonEmptyObject;
import static dev.sluice.provider.ParameterPolicy.nonZero;
import static dev.sluice.provider.ParameterPolicy.otherThan;
import static dev.sluice.provider.ParameterPolicy.present;
import static dev.sluice.provider.ParameterPolicy.set;

/**
 * What Bedrock's Converse API can do with OpenAI's chat parameters, as the field table of docs/providers.md states
 * it: the request mapper translates what is mapped, and the shared checker refuses the rest before anything is
 * sent.
 */
final class BedrockCapabilities {

    static final ParameterPolicy POLICY = ParameterPolicy.builder("Bedrock")
            .mapped("messages", "max_completion_tokens", "max_tokens", "stop", "temperature", "top_p", "top_k",
                    "tools", "tool_choice", "response_format", "reasoning_effort", "metadata", "user",
                    "safety_identifier", "service_tier", "stream_options")
            .mapped("n", above(ChatCompletionRequest::n, 1),
                    "Bedrock's Converse API returns a single choice per request")
            .refused("top_logprobs", set(ChatCompletionRequest::topLogprobs),
                    "Bedrock's Converse API does not return token log probabilities")
            .refused("logprobs", enabled(ChatCompletionRequest::logprobs),
                    "Bedrock's Converse API does not return token log probabilities")
            .refused("logit_bias", nonEmptyObject("logit_bias"), "Bedrock's Converse API has no token biasing")
            .refused("presence_penalty", nonZero(ChatCompletionRequest::presencePenalty),
                    "Bedrock's Converse API has no presence penalty")
            .refused("frequency_penalty", nonZero(ChatCompletionRequest::frequencyPenalty),
                    "Bedrock's Converse API has no frequency penalty")
            .mapped("modalities", otherThan("modalities", Set.of("text")), "Bedrock's Converse API answers with text")
            .refused("audio", present("audio"), "Bedrock's Converse API answers with text")
            .refused("moderation", present("moderation"), "Bedrock has no moderation by a moderation model; use a "
                    + "guardrail (guardrailConfig)")
            .refused("web_search_options", present("web_search_options"),
                    "Bedrock's Converse API has no web search tool")
            .ignored("seed", "parallel_tool_calls", "store", "prediction", "verbosity", "prompt_cache_key",
                    "prompt_cache_options", "prompt_cache_retention")
            .refusedContent(Content.SYSTEM_PART, "Bedrock takes only text in a system prompt")
            .refusedContent(Content.TOOL_RESULT_PART, "a tool result sent to Bedrock holds only text and images")
            .refusedContent(Content.AUDIO_INPUT, "Bedrock's Converse API does not accept audio input")
            .refusedContent(Content.OTHER_PART, "Bedrock cannot take a '{value}' content part")
            .refusedContent(Content.IMAGE_TYPE, "Bedrock accepts PNG, JPEG, GIF and WebP images, not {value}")
            .refusedContent(Content.DOCUMENT_TYPE, "Bedrock accepts PDF, CSV, Word, Excel, HTML, text and Markdown "
                    + "documents, not {value}")
            .refusedContent(Content.ROLE, "'{value}' messages are not supported; use 'tool' messages for tool results")
            .build();

    private BedrockCapabilities() {
    }
}
