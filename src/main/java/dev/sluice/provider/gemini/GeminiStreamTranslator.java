package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.CallContext;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.MessageImages;
import dev.sluice.provider.SseEvent;
import dev.sluice.openai.StreamChunks;
import dev.sluice.provider.EventTranslator;
import dev.sluice.openai.TokenUsage;
import dev.sluice.provider.UpstreamException;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.sluice.provider.gemini.GeminiWire.CODE_EXECUTION_RESULT;
import static dev.sluice.provider.gemini.GeminiWire.EXECUTABLE_CODE;
import static dev.sluice.provider.gemini.GeminiWire.EXTRA_CONTENT;
import static dev.sluice.provider.gemini.GeminiWire.FUNCTION_CALL;
import static dev.sluice.provider.gemini.GeminiWire.GROUNDING_METADATA;
import static dev.sluice.provider.gemini.GeminiWire.INLINE_DATA;
import static dev.sluice.provider.gemini.GeminiWire.TEXT;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT_SIGNATURE;

/**
 * Gemini's {@code streamGenerateContent?alt=sse} events, each a partial {@code GenerateContentResponse},
 * translated one by one into OpenAI chunks as they arrive:
 *
 * <ul>
 *   <li>text parts → {@code content} deltas, thought parts → {@code reasoning_content} deltas (the first chunk of
 *       each choice carries {@code role: assistant}); {@code executableCode} / {@code codeExecutionResult} parts →
 *       fenced blocks in {@code content} deltas; generated images ({@code inlineData}) → an {@code images} delta;
 *       Google Search grounding → an {@code annotations} delta of {@code url_citation}s once it arrives;</li>
 *   <li>a {@code functionCall} part (Gemini sends each call whole) → a tool call's first delta (index, id, name
 *       and the thought signature in {@code extra_content}), then its arguments in a delta of their own;</li>
 *   <li>a candidate's {@code finishReason} → its finish chunk; {@code usageMetadata} (repeated, cumulative) →
 *       remembered, and sent as the usage chunk when the stream ends (to the client when it asked with
 *       {@code include_usage}, to the gateway always);</li>
 *   <li>{@code promptFeedback.blockReason} → the blocked-prompt error; an {@code error} object → the mapped
 *       {@link UpstreamException}.</li>
 * </ul>
 * Gemini marks the end of a stream only by closing it: a stream that closes before every candidate it started
 * gave a finish reason was cut, and fails.
 */
final class GeminiStreamTranslator extends EventTranslator<SseEvent, GeminiErrors> {

    /** One candidate (OpenAI choice) of the stream. */
    private static final class Choice {
        final StreamChunks chunks;
        /** The content sent so far, where grounding segments are found. */
        final StringBuilder content = new StringBuilder();
        final Set<String> citations = new HashSet<>();
        int nextToolCall;
        boolean finished;
        boolean calledTools;

        Choice(StreamChunks chunks) {
            this.chunks = chunks;
        }
    }

    private final boolean includeUsage;
    private final long created;
    private final String requestedModel;
    private final Map<Integer, Choice> choices = new TreeMap<>();
    private String id;
    private String model;
    private String responseId = "";
    private JsonNode usage;
    private final CallContext context;

    GeminiStreamTranslator(GeminiErrors errors, String model, boolean includeUsage, long created,
                           CallContext context) {
        super(errors);
        this.context = context;
        this.requestedModel = model;
        this.includeUsage = includeUsage;
        this.created = created;
    }

    @Override
    public void onEvent(SseEvent event, List<ChatChunk> out) {
        JsonNode data = json(event.data().getBytes());
        if (data != null && data.isArray() && !data.isEmpty()) {
            data = data.get(0);
        }
        if (data == null || !data.isObject()) {
            return;
        }
        if (data.has("error")) {
            throw errors.fromJson(500, data, h -> null);
        }
        if (id == null) {
            responseId = data.path("responseId").asText("");
            id = GeminiResponseMapper.completionId(responseId);
            model = data.path("modelVersion").asText(requestedModel);
        }
        JsonNode candidates = data.path("candidates");
        if ((!candidates.isArray() || candidates.isEmpty()) && data.path("promptFeedback").has("blockReason")) {
            throw GeminiResponseMapper.blocked(provider, data.path("promptFeedback"));
        }
        if (data.has("usageMetadata")) {
            usage = data.get("usageMetadata");
            // cumulative: what the provider has counted so far, should the stream break off
            context.reportUsageSoFar(GeminiResponseMapper.usage(usage));
        }
        for (int c = 0; c < candidates.size(); c++) {
            JsonNode candidate = candidates.get(c);
            int index = candidate.path("index").asInt(c);
            Choice choice = choices.computeIfAbsent(index,
                    i -> new Choice(new StreamChunks(mapper, id, created, model, i)));
            ObjectNode logprobs = GeminiResponseMapper.logprobs(candidate.path("logprobsResult"),
                    mapper.getNodeFactory());
            for (JsonNode part : candidate.path("content").path("parts")) {
                part(choice, index, part, logprobs, out);
                logprobs = null;
            }
            if (candidate.has(GROUNDING_METADATA)) {
                citations(choice, candidate.get(GROUNDING_METADATA), out);
            }
            String finish = candidate.path("finishReason").asText(null);
            if (finish != null && !choice.finished) {
                choice.finished = true;
                out.add(choice.chunks.finish(GeminiResponseMapper.finishReason(finish, choice.calledTools)));
            }
        }
    }

    private void part(Choice choice, int index, JsonNode part, ObjectNode logprobs, List<ChatChunk> out) {
        if (part.has(FUNCTION_CALL)) {
            JsonNode fc = part.get(FUNCTION_CALL);
            int call = choice.nextToolCall++;
            choice.calledTools = true;
            ChatChunk start = choice.chunks.toolCallStart(call,
                    GeminiResponseMapper.toolCallId(fc, responseId, index, call), fc.path("name").asText(""), "");
            String signature = part.path(THOUGHT_SIGNATURE).asText("");
            if (!signature.isEmpty()) {
                ObjectNode toolCall = (ObjectNode) start.json().path("choices").get(0).path("delta")
                        .path("tool_calls").get(0);
                toolCall.set(EXTRA_CONTENT, GeminiResponseMapper.signatureField(signature, mapper.getNodeFactory()));
            }
            out.add(start);
            out.add(choice.chunks.toolCallArguments(call, GeminiResponseMapper.arguments(fc)));
            return;
        }
        boolean thought = part.path(THOUGHT).asBoolean(false);
        if (part.has(INLINE_DATA) && !thought) {
            ArrayNode images = mapper.createArrayNode().add(GeminiResponseMapper.image(part, mapper.getNodeFactory()));
            out.add(choice.chunks.field(MessageImages.FIELD, images));
            return;
        }
        if (part.has(EXECUTABLE_CODE) || part.has(CODE_EXECUTION_RESULT)) {
            String code = GeminiResponseMapper.codeText(part, choice.content);
            choice.content.append(code);
            out.add(choice.chunks.text(code));
            return;
        }
        if (!part.path(TEXT).isTextual()) {
            return;
        }
        String text = part.get(TEXT).asText();
        if (text.isEmpty() && choice.chunks.started()) {
            return;
        }
        if (!thought) {
            choice.content.append(text);
        }
        ChatChunk chunk = thought ? choice.chunks.reasoning(text) : choice.chunks.text(text);
        if (logprobs != null) {
            ((ObjectNode) chunk.json().path("choices").get(0)).set("logprobs", logprobs);
        }
        out.add(chunk);
    }

    /** The grounding citations not sent yet, as an {@code annotations} delta. */
    private void citations(Choice choice, JsonNode grounding, List<ChatChunk> out) {
        ArrayNode fresh = mapper.createArrayNode();
        for (ObjectNode citation : GeminiResponseMapper.citations(grounding, choice.content.toString(),
                mapper.getNodeFactory())) {
            if (choice.citations.add(citation.toString())) {
                fresh.add(citation);
            }
        }
        if (!fresh.isEmpty()) {
            out.add(choice.chunks.field("annotations", fresh));
        }
    }

    @Override
    public void onEnd(List<ChatChunk> out) {
        if (choices.isEmpty()) {
            throw cut("without a candidate");
        }
        for (Choice choice : choices.values()) {
            if (!choice.finished) {
                throw cut("before a finish reason");
            }
        }
        TokenUsage total = usage == null ? TokenUsage.NONE : GeminiResponseMapper.usage(usage);
        out.add(choices.values().iterator().next().chunks.usage(total, includeUsage));
    }
}
