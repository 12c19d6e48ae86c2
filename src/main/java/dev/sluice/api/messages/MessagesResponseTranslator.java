package dev.sluice.api.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

import static dev.sluice.anthropic.AnthropicWire.END_TURN;
import static dev.sluice.anthropic.AnthropicWire.MAX_TOKENS;
import static dev.sluice.anthropic.AnthropicWire.REDACTED_THINKING;
import static dev.sluice.anthropic.AnthropicWire.REFUSAL;
import static dev.sluice.anthropic.AnthropicWire.TEXT;
import static dev.sluice.anthropic.AnthropicWire.THINKING;
import static dev.sluice.anthropic.AnthropicWire.TOOL_USE;
import static dev.sluice.anthropic.AnthropicWire.TOOL_USE_STOP;

/**
 * Translates an OpenAI {@code chat.completion} into an Anthropic {@code message}: reasoning becomes a thinking
 * block (signed when the upstream signed it), the content a text block, tool calls {@code tool_use} blocks with their
 * ids and parsed input; the finish reason a stop reason; the usage Anthropic's, where fresh input, cache reads and
 * cache writes are counted apart. Pure; shared with the stream writer.
 */
final class MessagesResponseTranslator {

    private MessagesResponseTranslator() {
    }

    /** @param model the model name to report: the one the client asked for */
    static ObjectNode toMessage(ObjectNode completion, String model, ObjectMapper mapper) {
        JsonNodeFactory json = mapper.getNodeFactory();
        ObjectNode out = json.objectNode();
        out.put("id", messageId(completion.path("id").asText("")));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", model);
        ArrayNode content = out.putArray("content");
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        String reasoning = reasoning(message);
        JsonNode signed = message.path("thinking_blocks");
        if (signed.isArray() && !signed.isEmpty()) {
            for (JsonNode b : signed) {
                if (THINKING.equals(b.path("type").asText())) {
                    content.addObject().put("type", THINKING).put("thinking", b.path("thinking").asText(""))
                            .put("signature", b.path("signature").asText(""));
                } else if (REDACTED_THINKING.equals(b.path("type").asText())) {
                    content.addObject().put("type", REDACTED_THINKING).put("data", b.path("data").asText(""));
                }
            }
        } else if (reasoning != null && !reasoning.isEmpty()) {
            content.addObject().put("type", THINKING).put("thinking", reasoning).put("signature", "");
        }
        String text = message.path("content").isTextual() ? message.get("content").asText()
                : message.path("refusal").isTextual() ? message.get("refusal").asText() : "";
        if (!text.isEmpty()) {
            content.addObject().put("type", TEXT).put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode block = content.addObject();
            block.put("type", TOOL_USE);
            block.put("id", call.path("id").asText(""));
            block.put("name", call.path("function").path("name").asText(""));
            block.set("input", input(call.path("function").path("arguments").asText(""), mapper));
        }
        out.put("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
        out.putNull("stop_sequence");
        out.set("usage", usage(completion.path("usage"), json));
        return out;
    }

    /** Anthropic's message ids start with {@code msg_}; an upstream's own id is kept after that prefix. */
    static String messageId(String id) {
        if (id.startsWith("msg_")) {
            return id;
        }
        return "msg_" + (id.isEmpty() ? Long.toHexString(System.nanoTime()) : id);
    }

    static String reasoning(JsonNode messageOrDelta) {
        if (messageOrDelta.path("reasoning_content").isTextual()) {
            return messageOrDelta.get("reasoning_content").asText();
        }
        if (messageOrDelta.path("reasoning").isTextual()) {
            return messageOrDelta.get("reasoning").asText();
        }
        return null;
    }

    /** Tool arguments as the input object; arguments that are not a JSON object are kept under {@code arguments}. */
    static JsonNode input(String arguments, ObjectMapper mapper) {
        if (arguments == null || arguments.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(arguments);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException malformed) {
            // fall through
        }
        return mapper.createObjectNode().put("arguments", arguments);
    }

    /** stop → end_turn, length → max_tokens, tool_calls → tool_use, content_filter → refusal. */
    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return END_TURN;
        }
        return switch (finishReason) {
            case "length" -> MAX_TOKENS;
            case "tool_calls", "function_call" -> TOOL_USE_STOP;
            case "content_filter" -> REFUSAL;
            default -> END_TURN;
        };
    }

    /** OpenAI's usage in Anthropic's terms: prompt tokens minus cache reads and writes are the fresh input. */
    static ObjectNode usage(JsonNode usage, JsonNodeFactory json) {
        long prompt = usage.path("prompt_tokens").asLong(0);
        long read = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        long write = usage.path("prompt_tokens_details").path("cache_creation_tokens").asLong(0);
        ObjectNode out = json.objectNode();
        out.put("input_tokens", Math.max(0, prompt - read - write));
        out.put("cache_creation_input_tokens", write);
        out.put("cache_read_input_tokens", read);
        out.put("output_tokens", usage.path("completion_tokens").asLong(0));
        return out;
    }
}
