package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;

/**
 * A {@code POST /v1/responses} body: the client's JSON tree (the source of truth, forwarded unchanged but for the
 * model to an upstream that speaks the Responses API) and the few fields the gateway itself acts on.
 *
 * @param tree               the body as sent
 * @param model              the requested model
 * @param streaming          {@code stream}
 * @param store              {@code store} (true unless the client said false, as OpenAI)
 * @param previousResponseId {@code previous_response_id}, or null
 */
public record ResponsesRequest(ObjectNode tree, String model, boolean streaming, boolean store,
                               String previousResponseId) {

    /** Checks the fields the gateway reads and the ones it refuses; each failure is a 400 naming the field. */
    public static ResponsesRequest of(ObjectNode tree) {
        JsonNode model = tree.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ApiException.invalidRequest("Invalid 'model': is required", "model");
        }
        JsonNode input = tree.get("input");
        if (input != null && !input.isNull() && !input.isTextual() && !input.isArray()) {
            throw ApiException.invalidRequest("Invalid 'input': expected a string or an array of input items",
                    "input");
        }
        if (tree.path("background").asBoolean(false)) {
            throw ApiException.invalidRequest("'background' responses are not supported by this gateway; send the "
                    + "request without 'background' (streaming keeps long answers flowing)", "background",
                    "unsupported_parameter");
        }
        if (tree.hasNonNull("conversation")) {
            throw ApiException.invalidRequest("'conversation' objects are not supported by this gateway; chain "
                    + "responses with 'previous_response_id' instead", "conversation", "unsupported_parameter");
        }
        bool(tree, "stream");
        bool(tree, "store");
        bool(tree, "parallel_tool_calls");
        range(tree, "temperature", 0, 2);
        range(tree, "top_p", 0, 1);
        JsonNode max = tree.get("max_output_tokens");
        if (max != null && !max.isNull() && (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 1)) {
            throw ApiException.invalidRequest("Invalid 'max_output_tokens': expected a positive integer",
                    "max_output_tokens");
        }
        JsonNode previous = tree.get("previous_response_id");
        if (previous != null && !previous.isNull() && !previous.isTextual()) {
            throw ApiException.invalidRequest("Invalid 'previous_response_id': expected a string",
                    "previous_response_id");
        }
        JsonNode tools = tree.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw ApiException.invalidRequest("Invalid 'tools': expected an array", "tools");
            }
            for (int i = 0; i < tools.size(); i++) {
                JsonNode tool = tools.get(i);
                if (!tool.path("type").isTextual()) {
                    throw ApiException.invalidRequest("Invalid 'tools[" + i + "]': each tool needs a 'type'",
                            "tools[" + i + "].type");
                }
                if (ResponsesWire.FUNCTION.equals(tool.path("type").asText())
                        && !tool.path("name").asText("").matches("[a-zA-Z0-9_-]{1,64}")) {
                    throw ApiException.invalidRequest("Invalid 'tools[" + i + "].name': must be 1-64 letters, digits, "
                            + "'_' or '-'", "tools[" + i + "].name");
                }
            }
        }
        return new ResponsesRequest(tree, model.asText(), tree.path("stream").asBoolean(false),
                tree.path("store").asBoolean(true), previous == null || previous.isNull() ? null : previous.asText());
    }

    private static void bool(ObjectNode tree, String field) {
        JsonNode v = tree.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            throw ApiException.invalidRequest("Invalid type for '" + field + "': expected a boolean", field);
        }
    }

    private static void range(ObjectNode tree, String field, double min, double max) {
        JsonNode v = tree.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw ApiException.invalidRequest("Invalid '" + field + "': expected a number from " + (int) min + " to "
                    + (int) max, field);
        }
    }
}
