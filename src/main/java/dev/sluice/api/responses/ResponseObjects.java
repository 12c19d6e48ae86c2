package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

import static dev.sluice.api.responses.ResponsesWire.COMPLETED;
import static dev.sluice.api.responses.ResponsesWire.FUNCTION_CALL;
import static dev.sluice.api.responses.ResponsesWire.INCOMPLETE;
import static dev.sluice.api.responses.ResponsesWire.IN_PROGRESS;
import static dev.sluice.api.responses.ResponsesWire.MESSAGE;
import static dev.sluice.api.responses.ResponsesWire.OUTPUT_TEXT;
import static dev.sluice.api.responses.ResponsesWire.REASONING;
import static dev.sluice.api.responses.ResponsesWire.SUMMARY_TEXT;
import static dev.sluice.api.responses.ResponsesWire.URL_CITATION;

/**
 * The shapes of a Response object and its output items, shared by the whole-answer translation and the stream
 * state machine so that both produce exactly the same objects.
 */
public final class ResponseObjects {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Makes the ids of responses and items; tests fix them, the gateway draws them at random. */
    @FunctionalInterface
    public interface Ids {
        String next(String prefix);

        Ids RANDOM = prefix -> prefix + UUID.randomUUID().toString().replace("-", "")
                + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
    }

    private ResponseObjects() {
    }

    /** A response in progress, echoing the request's settings as OpenAI does. */
    public static ObjectNode shell(ObjectNode request, String id, long createdAt) {
        ObjectNode r = JSON.objectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", IN_PROGRESS);
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.set("instructions", orNull(request.get("instructions")));
        r.set("max_output_tokens", orNull(request.get("max_output_tokens")));
        r.put("model", request.path("model").asText());
        r.putArray("output");
        r.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        r.set("previous_response_id", orNull(request.get("previous_response_id")));
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", orNull(request.path("reasoning").get("effort")));
        reasoning.set("summary", orNull(request.path("reasoning").get("summary")));
        r.put("store", request.path("store").asBoolean(true));
        r.set("temperature", request.hasNonNull("temperature") ? request.get("temperature") : JSON.numberNode(1.0));
        ObjectNode text = r.putObject("text");
        text.set("format", request.path("text").hasNonNull("format") ? request.path("text").get("format")
                : JSON.objectNode().put("type", "text"));
        r.set("tool_choice", request.hasNonNull("tool_choice") ? request.get("tool_choice") : JSON.textNode("auto"));
        r.set("tools", request.path("tools").isArray() ? request.get("tools") : JSON.arrayNode());
        r.set("top_p", request.hasNonNull("top_p") ? request.get("top_p") : JSON.numberNode(1.0));
        r.set("truncation", request.hasNonNull("truncation") ? request.get("truncation") : JSON.textNode("disabled"));
        r.putNull("usage");
        r.set("user", orNull(request.get("user")));
        r.set("metadata", request.hasNonNull("metadata") ? request.get("metadata") : JSON.objectNode());
        return r;
    }

    /** Sets the final status from a chat finish reason: {@code length} and {@code content_filter} are incomplete. */
    public static void finish(ObjectNode response, String finishReason, JsonNode chatUsage) {
        String reason = switch (finishReason == null ? "" : finishReason) {
            case "length" -> "max_output_tokens";
            case "content_filter" -> "content_filter";
            default -> null;
        };
        if (reason == null) {
            response.put("status", COMPLETED);
        } else {
            response.put("status", INCOMPLETE);
            response.putObject("incomplete_details").put("reason", reason);
        }
        if (chatUsage != null && chatUsage.isObject()) {
            response.set("usage", usage(chatUsage));
        }
    }

    /** Chat {@code usage} in the Responses form; Sluice's {@code cost} is kept. */
    public static ObjectNode usage(JsonNode chat) {
        ObjectNode u = JSON.objectNode();
        long input = chat.path("prompt_tokens").asLong(0);
        long output = chat.path("completion_tokens").asLong(0);
        u.put("input_tokens", input);
        u.putObject("input_tokens_details").put("cached_tokens",
                chat.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        u.put("output_tokens", output);
        u.putObject("output_tokens_details").put("reasoning_tokens",
                chat.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
        u.put("total_tokens", chat.path("total_tokens").asLong(input + output));
        if (chat.has("cost")) {
            u.set("cost", chat.get("cost"));
        }
        return u;
    }

    static ObjectNode message(String id, String status, String text, ArrayNode annotations) {
        ObjectNode item = JSON.objectNode();
        item.put("id", id);
        item.put("type", MESSAGE);
        item.put("status", status);
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(textPart(text, annotations));
        }
        item.put("role", "assistant");
        return item;
    }

    static ObjectNode textPart(String text, ArrayNode annotations) {
        ObjectNode part = JSON.objectNode();
        part.put("type", OUTPUT_TEXT);
        part.set("annotations", annotations == null ? JSON.arrayNode() : annotations);
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    static ObjectNode functionCall(String id, String status, String callId, String name, String namespace,
                                   String arguments) {
        ObjectNode item = JSON.objectNode();
        item.put("id", id);
        item.put("type", FUNCTION_CALL);
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", name);
        if (namespace != null) {
            item.put("namespace", namespace);
        }
        return item;
    }

    static ObjectNode reasoning(String id, String summary) {
        ObjectNode item = JSON.objectNode();
        item.put("id", id);
        item.put("type", REASONING);
        ArrayNode parts = item.putArray("summary");
        if (summary != null) {
            parts.add(summaryPart(summary));
        }
        return item;
    }

    static ObjectNode summaryPart(String text) {
        return JSON.objectNode().put("type", SUMMARY_TEXT).put("text", text);
    }

    /** A chat {@code url_citation} annotation ({@code {type, url_citation: {...}}}) in the Responses' flat form. */
    static ObjectNode annotation(JsonNode chat) {
        JsonNode c = chat.path(URL_CITATION);
        ObjectNode out = JSON.objectNode();
        out.put("type", chat.path("type").asText(URL_CITATION));
        if (c.isObject()) {
            c.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? JSON.nullNode() : value;
    }
}
