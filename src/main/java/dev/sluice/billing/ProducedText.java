package dev.sluice.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The text an answer relayed to the client (content, reasoning, refusals, tool calls), kept because a stream cut
 * short or a provider that reports no usage must still be charged for what it produced.
 */
final class ProducedText {

    private final StringBuilder text = new StringBuilder();

    /** Keeps the generated text of a message (a whole answer's choice) or a delta (a stream chunk's choice). */
    void collect(JsonNode message) {
        if (message == null || !message.isObject()) {
            return;
        }
        append(message.get("content"));
        append(message.get("reasoning_content"));
        append(message.get("reasoning"));
        append(message.get("refusal"));
        if (message.get("tool_calls") instanceof ArrayNode calls) {
            for (JsonNode call : calls) {
                append(call.path("function").get("name"));
                append(call.path("function").get("arguments"));
            }
        }
    }

    boolean isEmpty() {
        return text.length() == 0;
    }

    String text() {
        return text.toString();
    }

    private void append(JsonNode node) {
        if (node != null && node.isTextual()) {
            text.append(node.asText());
        }
    }
}
