package dev.sluice.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.api.responses.ResponsesWire.*;

/**
 * Turns a stream of {@code chat.completion.chunk}s into the Responses API's event sequence, one chunk at a time:
 * {@code response.created}, {@code response.in_progress}, then for each output item {@code output_item.added},
 * its content events ({@code content_part.added}, {@code output_text.delta}..., {@code output_text.done},
 * {@code content_part.done}; {@code function_call_arguments.delta}/{@code .done};
 * {@code reasoning_summary_part.added}, {@code reasoning_summary_text.delta}/{@code .done}...) and
 * {@code output_item.done}, and finally {@code response.completed} (or {@code response.incomplete} when the output
 * was cut short, or {@code error} and {@code response.failed} when the upstream failed). Every event carries its
 * {@code sequence_number}.
 *
 * <p>Chat streams give reasoning, then text, then tool calls, each as deltas; an item is closed when the next kind
 * (or the next tool call index) begins. One instance per stream; not thread-safe (a stream is confined to its
 * event loop).
 */
public final class ResponseStream {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private enum Kind { NONE, REASONING, MESSAGE, CALL }

    private final ObjectNode response;
    private final ToolNames names;
    private final ResponseObjects.Ids ids;
    private final ArrayNode output = JSON.arrayNode();
    private int sequence;
    private Kind open = Kind.NONE;
    private String itemId;
    private int toolIndex = -1;
    private String callId;
    private String callName;
    private final StringBuilder text = new StringBuilder();
    private ArrayNode annotations = JSON.arrayNode();
    private String finishReason;
    private JsonNode usage;
    private boolean ended;

    public ResponseStream(ObjectNode shell, ToolNames names, ResponseObjects.Ids ids) {
        this.response = shell;
        this.names = names;
        this.ids = ids;
    }

    /** {@code response.created} and {@code response.in_progress}. */
    public List<ObjectNode> start() {
        List<ObjectNode> out = new ArrayList<>(2);
        out.add(event(CREATED_EVENT).set(RESPONSE, response.deepCopy()));
        out.add(event(IN_PROGRESS_EVENT).set(RESPONSE, response.deepCopy()));
        return out;
    }

    /** The events one chat chunk gives (often none: a role-only chunk, a usage chunk). */
    public List<ObjectNode> onChunk(JsonNode chunk) {
        List<ObjectNode> out = new ArrayList<>(2);
        if (chunk.get("usage") instanceof ObjectNode u) {
            usage = u;
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) {
            return out;
        }
        JsonNode delta = choice.path("delta");
        String reasoning = delta.path("reasoning_content").asText("");
        if (!reasoning.isEmpty()) {
            if (open != Kind.REASONING) {
                close(out);
                openReasoning(out);
            }
            text.append(reasoning);
            out.add(itemEvent(SUMMARY_DELTA).put("summary_index", 0).put("delta", reasoning));
        }
        String content = delta.path("content").asText("");
        if (content.isEmpty()) {
            content = delta.path("refusal").asText("");
        }
        if (!content.isEmpty()) {
            if (open != Kind.MESSAGE) {
                close(out);
                openMessage(out);
            }
            text.append(content);
            ObjectNode e = itemEvent(TEXT_DELTA).put("content_index", 0).put("delta", content);
            e.putArray("logprobs");
            out.add(e);
        }
        for (JsonNode a : delta.path("annotations")) {
            if (open != Kind.MESSAGE) {
                close(out);
                openMessage(out);
            }
            ObjectNode annotation = ResponseObjects.annotation(a);
            ObjectNode e = itemEvent(ANNOTATION_ADDED).put("content_index", 0)
                    .put("annotation_index", annotations.size());
            e.set("annotation", annotation);
            annotations.add(annotation);
            out.add(e);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int index = call.path("index").asInt(0);
            if (open != Kind.CALL || index != toolIndex) {
                close(out);
                openCall(out, index, call);
            }
            String args = call.path("function").path("arguments").asText("");
            if (!args.isEmpty()) {
                text.append(args);
                out.add(itemEvent(ARGUMENTS_DELTA).put("delta", args));
            }
        }
        if (choice.hasNonNull("finish_reason")) {
            finishReason = choice.get("finish_reason").asText();
        }
        return out;
    }

    /** The upstream finished: the open item is closed and {@code response.completed} (or incomplete) sent. */
    public List<ObjectNode> onEnd() {
        List<ObjectNode> out = new ArrayList<>(4);
        if (ended) {
            return out;
        }
        ended = true;
        close(out);
        response.set("output", output);
        ResponseObjects.finish(response, finishReason, usage);
        String type = INCOMPLETE.equals(response.path("status").asText()) ? INCOMPLETE_EVENT : COMPLETED_EVENT;
        out.add(event(type).set(RESPONSE, response));
        return out;
    }

    /** The stream failed: an {@code error} event, then {@code response.failed} with the output so far. */
    public List<ObjectNode> onError(ApiException failure) {
        List<ObjectNode> out = new ArrayList<>(2);
        if (ended) {
            return out;
        }
        ended = true;
        ObjectNode error = event(ERROR_EVENT);
        error.put("code", failure.code());
        error.put("message", failure.getMessage());
        error.put("param", failure.param());
        out.add(error);
        response.set("output", output);
        response.put("status", FAILED);
        ObjectNode body = response.putObject("error");
        body.put("code", failure.status() >= 500 || failure.code() == null ? "server_error" : failure.code());
        body.put("message", failure.getMessage());
        if (usage != null) {
            response.set("usage", ResponseObjects.usage(usage));
        }
        out.add(event(FAILED_EVENT).set(RESPONSE, response));
        return out;
    }

    /** The response as it stands: complete after {@link #onEnd}, with its output so far after a failure. */
    public ObjectNode response() {
        return response;
    }

    public boolean ended() {
        return ended;
    }

    private void openReasoning(List<ObjectNode> out) {
        open = Kind.REASONING;
        itemId = ids.next("rs_");
        out.add(added(ResponseObjects.reasoning(itemId, null)));
        ObjectNode e = itemEvent(SUMMARY_PART_ADDED).put("summary_index", 0);
        e.set("part", ResponseObjects.summaryPart(""));
        out.add(e);
    }

    private void openMessage(List<ObjectNode> out) {
        open = Kind.MESSAGE;
        itemId = ids.next("msg_");
        annotations = JSON.arrayNode();
        out.add(added(ResponseObjects.message(itemId, IN_PROGRESS, null, null)));
        ObjectNode e = itemEvent(PART_ADDED).put("content_index", 0);
        e.set("part", ResponseObjects.textPart("", JSON.arrayNode()));
        out.add(e);
    }

    private void openCall(List<ObjectNode> out, int index, JsonNode call) {
        open = Kind.CALL;
        toolIndex = index;
        itemId = ids.next("fc_");
        callId = call.path("id").asText(ids.next("call_"));
        callName = call.path("function").path("name").asText("");
        out.add(added(ResponseObjects.functionCall(itemId, IN_PROGRESS, callId, names.nameOf(callName),
                names.namespaceOf(callName), "")));
    }

    private void close(List<ObjectNode> out) {
        String done = text.toString();
        switch (open) {
            case REASONING -> {
                out.add(itemEvent(SUMMARY_DONE).put("summary_index", 0).put("text", done));
                ObjectNode part = itemEvent(SUMMARY_PART_DONE).put("summary_index", 0);
                part.set("part", ResponseObjects.summaryPart(done));
                out.add(part);
                finished(out, ResponseObjects.reasoning(itemId, done));
            }
            case MESSAGE -> {
                ObjectNode t = itemEvent(TEXT_DONE).put("content_index", 0).put("text", done);
                t.putArray("logprobs");
                out.add(t);
                ObjectNode part = itemEvent(PART_DONE).put("content_index", 0);
                part.set("part", ResponseObjects.textPart(done, annotations.deepCopy()));
                out.add(part);
                finished(out, ResponseObjects.message(itemId, COMPLETED, done, annotations));
            }
            case CALL -> {
                out.add(itemEvent(ARGUMENTS_DONE).put("arguments", done).put("name", names.nameOf(callName)));
                finished(out, ResponseObjects.functionCall(itemId, COMPLETED, callId, names.nameOf(callName),
                        names.namespaceOf(callName), done));
            }
            case NONE -> {
                return;
            }
        }
        open = Kind.NONE;
        text.setLength(0);
    }

    private ObjectNode added(ObjectNode item) {
        ObjectNode e = event(ITEM_ADDED).put("output_index", output.size());
        e.set("item", item);
        return e;
    }

    private void finished(List<ObjectNode> out, ObjectNode item) {
        ObjectNode e = event(ITEM_DONE).put("output_index", output.size());
        e.set("item", item);
        out.add(e);
        output.add(item);
    }

    /** An event about the open item: {@code item_id} and {@code output_index}. */
    private ObjectNode itemEvent(String type) {
        return event(type).put("item_id", itemId).put("output_index", output.size());
    }

    private ObjectNode event(String type) {
        ObjectNode e = JSON.objectNode();
        e.put("type", type);
        e.put("sequence_number", sequence++);
        return e;
    }
}
