package dev.sluice.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the OpenAI {@code chat.completion} object a translating adapter returns for a whole (non-streaming)
 * answer: one choice whose message carries the text, the reasoning text ({@code reasoning_content}), the tool
 * calls, generated images ({@code images}), annotations of the text ({@code annotations}, e.g. web citations) and
 * any extra message field, plus the finish reason and usage.
 *
 * <p>The shape is OpenAI's: {@code content} is null when the model only called tools, {@code refusal} is
 * present (null), {@code logprobs} is null, and {@code usage} comes from {@link TokenUsage#toJson}.
 */
public final class CompletionBuilder {

    private final JsonNodeFactory json;
    private final AnswerIdentity identity;
    private final StringBuilder text = new StringBuilder();
    private boolean hasText;
    private final StringBuilder reasoning = new StringBuilder();
    private ArrayNode toolCalls;
    private ArrayNode images;
    private ArrayNode annotations;
    private final Map<String, JsonNode> extra = new LinkedHashMap<>(2);
    private FinishReason finish = FinishReason.STOP;
    private TokenUsage usage;

    /**
     * @param id      the completion id (the provider's message id, kept for traceability)
     * @param created Unix seconds
     * @param model   the model that answered, as the provider names it
     */
    public CompletionBuilder(JsonNodeFactory json, String id, long created, String model) {
        this.json = json;
        this.identity = new AnswerIdentity(id, created, model);
    }

    /** Appends answer text; several calls are joined without separator, as the blocks of one answer. */
    public CompletionBuilder text(String fragment) {
        text.append(fragment);
        hasText = true;
        return this;
    }

    /** Appends reasoning ("thinking") text, returned as {@code message.reasoning_content}. */
    public CompletionBuilder reasoning(String fragment) {
        reasoning.append(fragment);
        return this;
    }

    /** Adds a function tool call; {@code arguments} is the JSON text of the arguments object. */
    public CompletionBuilder toolCall(String callId, String name, String arguments) {
        if (toolCalls == null) {
            toolCalls = json.arrayNode();
        }
        ObjectNode call = toolCalls.addObject();
        call.put("id", callId);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", arguments);
        return this;
    }

    /** The length of the answer text so far, in Unicode code points (where the next text will start). */
    public int textLength() {
        return Annotations.length(text);
    }

    /** The answer text so far. */
    public String textSoFar() {
        return text.toString();
    }

    /** Adds a generated image, returned in {@code message.images} ({@link MessageImages#image}). */
    public CompletionBuilder image(ObjectNode image) {
        if (images == null) {
            images = json.arrayNode();
        }
        images.add(image);
        return this;
    }

    /** Adds an annotation of the answer text ({@link Annotations#urlCitation}), in {@code message.annotations}. */
    public CompletionBuilder annotation(ObjectNode annotation) {
        if (annotations == null) {
            annotations = json.arrayNode();
        }
        annotations.add(annotation);
        return this;
    }

    /** Sets a message field OpenAI's format does not define but a client may use (e.g. {@code thinking_blocks}). */
    public CompletionBuilder messageField(String name, JsonNode value) {
        extra.put(name, value);
        return this;
    }

    public CompletionBuilder finish(FinishReason reason) {
        this.finish = reason;
        return this;
    }

    public CompletionBuilder usage(TokenUsage usage) {
        this.usage = usage;
        return this;
    }

    public ObjectNode build() {
        ObjectNode completion = identity.object(json, "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (hasText || toolCalls == null) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        message.putNull("refusal");
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (toolCalls != null) {
            message.set("tool_calls", toolCalls);
        }
        if (images != null) {
            message.set("images", images);
        }
        if (annotations != null) {
            message.set("annotations", annotations);
        }
        extra.forEach(message::set);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish.wire());
        if (usage != null) {
            completion.set("usage", usage.toJson(json));
        }
        return completion;
    }
}
