package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static dev.sluice.api.responses.ResponsesWire.COMPLETED;

/**
 * Translates a whole {@code chat.completion} into a Response object: reasoning text → a {@code reasoning} item
 * with its summary, the message text (and its {@code url_citation}s) → a {@code message} item with one
 * {@code output_text} part, each tool call → a {@code function_call} item carrying its {@code call_id} (and the
 * {@code namespace} the client declared it in), the finish reason → {@code status} and
 * {@code incomplete_details}, usage → the Responses usage with cached and reasoning tokens. Pure.
 */
public final class ResponseTranslator {

    private ResponseTranslator() {
    }

    /** Fills {@code shell} (from {@link ResponseObjects#shell}) with the completion's output; returns it. */
    public static ObjectNode fromCompletion(ObjectNode shell, JsonNode completion, ToolNames names,
                                            ResponseObjects.Ids ids) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ArrayNode output = (ArrayNode) shell.get("output");
        String reasoning = message.path("reasoning_content").asText(null);
        if (reasoning != null && !reasoning.isEmpty()) {
            output.add(ResponseObjects.reasoning(ids.next("rs_"), reasoning));
        }
        String text = message.path("content").asText(null);
        if (text == null && message.path("refusal").isTextual()) {
            text = message.path("refusal").asText();
        }
        if (text != null && !text.isEmpty()) {
            ArrayNode annotations = JsonNodeFactory.instance.arrayNode();
            for (JsonNode a : message.path("annotations")) {
                annotations.add(ResponseObjects.annotation(a));
            }
            output.add(ResponseObjects.message(ids.next("msg_"), COMPLETED, text, annotations));
        }
        for (JsonNode call : message.path("tool_calls")) {
            String upstream = call.path("function").path("name").asText();
            output.add(ResponseObjects.functionCall(ids.next("fc_"), COMPLETED, call.path("id").asText(),
                    names.nameOf(upstream), names.namespaceOf(upstream),
                    call.path("function").path("arguments").asText("")));
        }
        ResponseObjects.finish(shell, choice.path("finish_reason").asText(null), completion.get("usage"));
        return shell;
    }
}
