package dev.sluice.provider.anthropic;

import dev.sluice.anthropic.AnthropicWire;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.Annotations;
import dev.sluice.openai.CompletionBuilder;
import dev.sluice.openai.FinishReason;
import dev.sluice.openai.TokenUsage;
import dev.sluice.provider.UsageFields;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.anthropic.AnthropicWire.CITATIONS;
import static dev.sluice.anthropic.AnthropicWire.REDACTED_THINKING;
import static dev.sluice.anthropic.AnthropicWire.SEARCH_RESULT_LOCATION;
import static dev.sluice.anthropic.AnthropicWire.TEXT;
import static dev.sluice.anthropic.AnthropicWire.THINKING;
import static dev.sluice.anthropic.AnthropicWire.THINKING_BLOCKS;
import static dev.sluice.anthropic.AnthropicWire.TOOL_USE;
import static dev.sluice.anthropic.AnthropicWire.WEB_SEARCH_RESULT_LOCATION;

/**
 * Translates an Anthropic {@code message} into an OpenAI {@code chat.completion}: text blocks become the content,
 * thinking blocks {@code reasoning_content} (and, signed, {@code thinking_blocks} for the next turn),
 * {@code tool_use} blocks tool calls with their ids, the stop reason a finish reason and the usage OpenAI's
 * usage with cache reads counted in {@code prompt_tokens} and shown as {@code cached_tokens}. Web search citations
 * on text blocks become {@code url_citation} annotations; the blocks of the search itself
 * ({@code server_tool_use}, {@code web_search_tool_result}) ran on Anthropic's side and have no OpenAI form.
 */
final class AnthropicResponseMapper {

    private AnthropicResponseMapper() {
    }

    /**
     * @param jsonTool the forced tool that carries a structured answer (its input becomes the content), or null
     * @param created  Unix seconds to report (Anthropic's message has no timestamp)
     */
    static ObjectNode toCompletion(ObjectNode message, String jsonTool, long created, JsonNodeFactory json) {
        CompletionBuilder out = new CompletionBuilder(json, message.path("id").asText(""), created,
                message.path("model").asText(""));
        ArrayNode thinkingBlocks = null;
        boolean answeredThroughTool = false;
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case TEXT -> {
                    int start = out.textLength();
                    String text = block.path("text").asText("");
                    out.text(text);
                    citations(block.path(CITATIONS), start, out.textLength(), json).forEach(out::annotation);
                }
                case THINKING -> {
                    out.reasoning(block.path("thinking").asText(""));
                    if (thinkingBlocks == null) {
                        thinkingBlocks = json.arrayNode();
                    }
                    ObjectNode b = thinkingBlocks.addObject();
                    b.put("type", THINKING);
                    b.put("thinking", block.path("thinking").asText(""));
                    b.put("signature", block.path("signature").asText(""));
                }
                case REDACTED_THINKING -> {
                    if (thinkingBlocks == null) {
                        thinkingBlocks = json.arrayNode();
                    }
                    thinkingBlocks.addObject().put("type", REDACTED_THINKING)
                            .put("data", block.path("data").asText(""));
                }
                case TOOL_USE -> {
                    String input = block.path("input").isObject() ? block.get("input").toString() : "{}";
                    if (block.path("name").asText("").equals(jsonTool)) {
                        out.text(input);
                        answeredThroughTool = true;
                    } else {
                        out.toolCall(block.path("id").asText(""), block.path("name").asText(""), input);
                    }
                }
                default -> {
                    // server tool blocks and future block types carry nothing an OpenAI client can use
                }
            }
        }
        if (thinkingBlocks != null) {
            out.messageField(THINKING_BLOCKS, thinkingBlocks);
        }
        out.finish(finishReason(message.path("stop_reason").asText(null), answeredThroughTool));
        out.usage(usage(message.path("usage")));
        return out.build();
    }

    /**
     * The citations of a text block as {@code url_citation} annotations spanning the block's text: web search
     * results ({@code web_search_result_location}) and search results a client supplied
     * ({@code search_result_location}, its {@code source} as the URL). Citations of documents carry no URL and have
     * no OpenAI form.
     */
    static List<ObjectNode> citations(JsonNode citations, int start, int end, JsonNodeFactory json) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode c : citations) {
            String url = switch (c.path("type").asText("")) {
                case WEB_SEARCH_RESULT_LOCATION -> c.path("url").asText(null);
                case SEARCH_RESULT_LOCATION -> c.path("source").asText(null);
                default -> null;
            };
            if (url != null) {
                out.add(Annotations.urlCitation(json, start, end, url,
                        c.path("title").isTextual() ? c.get("title").asText() : null));
            }
        }
        return out;
    }

    /**
     * end_turn, stop_sequence, pause_turn → stop; max_tokens and a full context window → length; tool_use →
     * tool_calls (stop when the tool was the structured-output carrier); refusal → content_filter.
     */
    static FinishReason finishReason(String stopReason, boolean answeredThroughTool) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case AnthropicWire.MAX_TOKENS, AnthropicWire.CONTEXT_WINDOW_EXCEEDED -> FinishReason.LENGTH;
            case AnthropicWire.TOOL_USE_STOP -> answeredThroughTool ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            case AnthropicWire.REFUSAL -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /** Anthropic counts fresh input, cache reads and cache writes apart. */
    static final UsageFields USAGE = new UsageFields("input_tokens", "cache_read_input_tokens",
            "cache_creation_input_tokens", "output_tokens");

    static TokenUsage usage(JsonNode usage) {
        return USAGE.read(usage);
    }
}
