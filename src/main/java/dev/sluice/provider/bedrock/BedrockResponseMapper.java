package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.CompletionBuilder;
import dev.sluice.openai.FinishReason;
import dev.sluice.provider.MessageImages;
import dev.sluice.openai.TokenUsage;
import dev.sluice.provider.UsageFields;

import java.util.UUID;

import static dev.sluice.provider.bedrock.BedrockWire.IMAGE;
import static dev.sluice.provider.bedrock.BedrockWire.REASONING;
import static dev.sluice.provider.bedrock.BedrockWire.REASONING_TEXT;
import static dev.sluice.provider.bedrock.BedrockWire.REDACTED;
import static dev.sluice.provider.bedrock.BedrockWire.TEXT;
import static dev.sluice.provider.bedrock.BedrockWire.THINKING_BLOCKS;
import static dev.sluice.provider.bedrock.BedrockWire.TOOL_USE;

/**
 * Translates a Bedrock Converse response into an OpenAI {@code chat.completion}: text blocks become the content,
 * {@code reasoningContent} {@code reasoning_content} (and, signed or redacted, {@code thinking_blocks} for the
 * next turn), {@code toolUse} blocks tool calls with their ids, {@code image} blocks (generated images)
 * {@code message.images}, the stop reason a finish reason, and the usage OpenAI's usage with cache reads counted
 * in {@code prompt_tokens} and shown as {@code cached_tokens}.
 */
final class BedrockResponseMapper {

    private BedrockResponseMapper() {
    }

    /**
     * @param requestId Bedrock's request id (the {@code x-amzn-RequestId} header), or null
     * @param jsonTool  the forced tool carrying a structured answer (its input becomes the content), or null
     */
    static ObjectNode toCompletion(ObjectNode response, String model, String requestId, String jsonTool, long created,
                                   JsonNodeFactory json) {
        CompletionBuilder out = new CompletionBuilder(json, completionId(requestId), created, model);
        ArrayNode thinkingBlocks = null;
        boolean answeredThroughTool = false;
        for (JsonNode block : response.path("output").path("message").path("content")) {
            if (block.has(TEXT)) {
                out.text(block.get(TEXT).asText(""));
            } else if (block.has(TOOL_USE)) {
                JsonNode use = block.get(TOOL_USE);
                String input = use.path("input").isObject() ? use.get("input").toString() : "{}";
                if (use.path("name").asText("").equals(jsonTool)) {
                    out.text(input);
                    answeredThroughTool = true;
                } else {
                    out.toolCall(use.path("toolUseId").asText(""), use.path("name").asText(""), input);
                }
            } else if (block.has(IMAGE)) {
                // an image the model generated: data URL in message.images
                JsonNode image = block.get(IMAGE);
                String format = image.path("format").asText("png");
                out.image(MessageImages.image(json, "image/" + format, image.path("source").path("bytes").asText("")));
            } else if (block.has(REASONING)) {
                JsonNode reasoning = block.get(REASONING);
                if (thinkingBlocks == null) {
                    thinkingBlocks = json.arrayNode();
                }
                if (reasoning.has(REASONING_TEXT)) {
                    JsonNode text = reasoning.get(REASONING_TEXT);
                    out.reasoning(text.path("text").asText(""));
                    ObjectNode b = thinkingBlocks.addObject();
                    b.put("type", "thinking");
                    b.put("thinking", text.path("text").asText(""));
                    b.put("signature", text.path("signature").asText(""));
                } else if (reasoning.has(REDACTED)) {
                    thinkingBlocks.addObject().put("type", "redacted_thinking")
                            .put("data", reasoning.get(REDACTED).asText(""));
                }
            }
        }
        if (thinkingBlocks != null && !thinkingBlocks.isEmpty()) {
            out.messageField(THINKING_BLOCKS, thinkingBlocks);
        }
        out.finish(finishReason(response.path("stopReason").asText(null), answeredThroughTool));
        out.usage(usage(response.path("usage")));
        return out.build();
    }

    static String completionId(String requestId) {
        return "chatcmpl-" + (requestId == null || requestId.isBlank()
                ? UUID.randomUUID().toString().replace("-", "") : requestId);
    }

    /**
     * end_turn, stop_sequence → stop; max_tokens, model_context_window_exceeded → length; tool_use → tool_calls
     * (stop when the tool carried the structured answer); guardrail_intervened, content_filtered → content_filter.
     */
    static FinishReason finishReason(String stopReason, boolean answeredThroughTool) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case BedrockWire.MAX_TOKENS, BedrockWire.CONTEXT_WINDOW_EXCEEDED -> FinishReason.LENGTH;
            case BedrockWire.TOOL_USE_STOP -> answeredThroughTool ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            case BedrockWire.GUARDRAIL, BedrockWire.CONTENT_FILTERED -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /** Bedrock counts fresh input, cache reads and cache writes apart. */
    static final UsageFields USAGE = new UsageFields("inputTokens", "cacheReadInputTokens", "cacheWriteInputTokens",
            "outputTokens");

    static TokenUsage usage(JsonNode usage) {
        return USAGE.read(usage);
    }
}
