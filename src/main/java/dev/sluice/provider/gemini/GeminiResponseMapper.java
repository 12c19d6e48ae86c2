package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;
import dev.sluice.openai.Annotations;
import dev.sluice.openai.CompletionBuilder;
import dev.sluice.openai.FinishReason;
import dev.sluice.provider.MessageImages;
import dev.sluice.openai.TokenUsage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static dev.sluice.provider.gemini.GeminiWire.CODE_EXECUTION_RESULT;
import static dev.sluice.provider.gemini.GeminiWire.EXECUTABLE_CODE;
import static dev.sluice.provider.gemini.GeminiWire.EXTRA_CONTENT;
import static dev.sluice.provider.gemini.GeminiWire.FUNCTION_CALL;
import static dev.sluice.provider.gemini.GeminiWire.GOOGLE;
import static dev.sluice.provider.gemini.GeminiWire.GROUNDING_METADATA;
import static dev.sluice.provider.gemini.GeminiWire.INLINE_DATA;
import static dev.sluice.provider.gemini.GeminiWire.TEXT;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT_SIGNATURE;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT_SIGNATURE_FIELD;

/**
 * Translates a Gemini {@code GenerateContentResponse} into an OpenAI {@code chat.completion}: one choice per
 * candidate; text parts become the content, thought parts {@code reasoning_content}, {@code functionCall} parts
 * tool calls (Gemini's own call id when it gives one, else a stable id derived from the response id, with the
 * thought signature kept in {@code extra_content.google.thought_signature}); generated images ({@code inlineData}
 * parts) become {@code message.images}, code the model ran ({@code executableCode}, {@code codeExecutionResult})
 * fenced blocks of the content, and Google Search grounding ({@code groundingMetadata}) {@code url_citation}
 * annotations; the finish reason, usage and log probabilities are mapped; a prompt Gemini blocked is a 400.
 */
final class GeminiResponseMapper {

    private GeminiResponseMapper() {
    }

    static ObjectNode toCompletion(ObjectNode response, String provider, String requestedModel, long created,
                                   JsonNodeFactory json) {
        JsonNode candidates = response.path("candidates");
        if (!candidates.isArray() || candidates.isEmpty()) {
            throw blocked(provider, response.path("promptFeedback"));
        }
        String responseId = response.path("responseId").asText("");
        String id = completionId(responseId);
        String model = response.path("modelVersion").asText(requestedModel);
        ObjectNode completion = null;
        ArrayNode choices = null;
        for (int c = 0; c < candidates.size(); c++) {
            JsonNode candidate = candidates.get(c);
            int index = candidate.path("index").asInt(c);
            CompletionBuilder builder = new CompletionBuilder(json, id, created, model);
            boolean calledTools = false;
            int call = 0;
            for (JsonNode part : candidate.path("content").path("parts")) {
                boolean thought = part.path(THOUGHT).asBoolean(false);
                if (part.has(FUNCTION_CALL)) {
                    JsonNode fc = part.get(FUNCTION_CALL);
                    builder.toolCall(toolCallId(fc, responseId, index, call++), fc.path("name").asText(""),
                            arguments(fc));
                    calledTools = true;
                } else if (part.path(TEXT).isTextual()) {
                    if (thought) {
                        builder.reasoning(part.get(TEXT).asText());
                    } else {
                        builder.text(part.get(TEXT).asText());
                    }
                } else if (part.has(INLINE_DATA) && !thought) {
                    builder.image(image(part, json));
                } else if (part.has(EXECUTABLE_CODE) || part.has(CODE_EXECUTION_RESULT)) {
                    builder.text(codeText(part, builder.textSoFar()));
                }
            }
            for (ObjectNode citation : citations(candidate.path(GROUNDING_METADATA), builder.textSoFar(), json)) {
                builder.annotation(citation);
            }
            builder.finish(finishReason(candidate.path("finishReason").asText(null), calledTools));
            if (completion == null) {
                builder.usage(usage(response.path("usageMetadata")));
                completion = builder.build();
                choices = (ArrayNode) completion.get("choices");
                choices.removeAll();
            }
            ObjectNode choice = (ObjectNode) builder.build().path("choices").get(0);
            choice.put("index", index);
            addSignatures(choice.path("message").path("tool_calls"), candidate.path("content").path("parts"), json);
            JsonNode logprobs = logprobs(candidate.path("logprobsResult"), json);
            if (logprobs != null) {
                choice.set("logprobs", logprobs);
            }
            choices.add(choice);
        }
        return completion;
    }

    /** Thought signatures of function-call parts, on the matching tool calls. */
    private static void addSignatures(JsonNode toolCalls, JsonNode parts, JsonNodeFactory json) {
        if (!toolCalls.isArray()) {
            return;
        }
        int call = 0;
        for (JsonNode part : parts) {
            if (part.has(FUNCTION_CALL)) {
                String signature = part.path(THOUGHT_SIGNATURE).asText("");
                if (!signature.isEmpty() && call < toolCalls.size()) {
                    ((ObjectNode) toolCalls.get(call)).set(EXTRA_CONTENT, signatureField(signature, json));
                }
                call++;
            }
        }
    }

    /**
     * A generated image as a {@code message.images} entry, with its thought signature (Gemini 3 asks for it back
     * when the image is sent in a later turn) in {@code extra_content.google.thought_signature}.
     */
    static ObjectNode image(JsonNode part, JsonNodeFactory json) {
        JsonNode inline = part.get(INLINE_DATA);
        ObjectNode image = MessageImages.image(json, inline.path("mimeType").asText("image/png"),
                inline.path("data").asText(""));
        String signature = part.path(THOUGHT_SIGNATURE).asText("");
        if (!signature.isEmpty()) {
            image.set(EXTRA_CONTENT, signatureField(signature, json));
        }
        return image;
    }

    /**
     * Code the model wrote and ran with Gemini's code execution, as Markdown for the content: an
     * {@code executableCode} part as a fenced block in its language, a {@code codeExecutionResult} as a fenced
     * {@code output} block, preceded by its outcome when the run did not succeed (the outcome alone when it printed
     * nothing). Each block starts on a line of its own after {@code before}, the text so far.
     */
    static String codeText(JsonNode part, CharSequence before) {
        StringBuilder out = new StringBuilder();
        if (!before.isEmpty() && before.charAt(before.length() - 1) != '\n') {
            out.append('\n');
        }
        if (part.has(EXECUTABLE_CODE)) {
            JsonNode code = part.get(EXECUTABLE_CODE);
            String language = code.path("language").asText("").toLowerCase(Locale.ROOT);
            out.append("```").append("language_unspecified".equals(language) ? "" : language).append('\n');
            appendLine(out, code.path("code").asText(""));
        } else {
            JsonNode result = part.get(CODE_EXECUTION_RESULT);
            String outcome = result.path("outcome").asText("OUTCOME_OK");
            String output = result.path("output").asText("");
            if (!"OUTCOME_OK".equals(outcome)) {
                out.append("Code execution ended with ").append(outcome);
                if (output.isEmpty()) {
                    return out.append(".\n").toString();
                }
                out.append(":\n");
            }
            out.append("```output\n");
            appendLine(out, output);
        }
        return out.append("```\n").toString();
    }

    private static void appendLine(StringBuilder out, String text) {
        out.append(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            out.append('\n');
        }
    }

    /**
     * Google Search grounding as {@code url_citation} annotations of {@code content}: one per grounding support
     * and web source it cites. A support's segment is found in the content by its text (robust to the parts a
     * stream split it into), else by its UTF-8 byte offsets; a segment found neither way is left out.
     */
    static List<ObjectNode> citations(JsonNode grounding, String content, JsonNodeFactory json) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode sources = grounding.path("groundingChunks");
        int cursor = 0;
        for (JsonNode support : grounding.path("groundingSupports")) {
            JsonNode segment = support.path("segment");
            String text = segment.path("text").asText("");
            int from;
            int to;
            if (!text.isEmpty()) {
                from = content.indexOf(text, cursor);
                if (from < 0) {
                    from = content.indexOf(text);
                }
                if (from < 0) {
                    continue;
                }
                to = from + text.length();
                cursor = from;
            } else {
                byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
                int start = segment.path("startIndex").asInt(0);
                int end = segment.path("endIndex").asInt(-1);
                if (start < 0 || end < start || end > bytes.length) {
                    continue;
                }
                from = new String(bytes, 0, start, StandardCharsets.UTF_8).length();
                to = new String(bytes, 0, end, StandardCharsets.UTF_8).length();
            }
            int start = content.codePointCount(0, from);
            int end = content.codePointCount(0, to);
            for (JsonNode i : support.path("groundingChunkIndices")) {
                JsonNode web = sources.path(i.asInt(-1)).path("web");
                if (web.path("uri").isTextual()) {
                    out.add(Annotations.urlCitation(json, start, end, web.get("uri").asText(),
                            web.path("title").isTextual() ? web.get("title").asText() : null));
                }
            }
        }
        return out;
    }

    static ObjectNode signatureField(String signature, JsonNodeFactory json) {
        ObjectNode extra = json.objectNode();
        extra.putObject(GOOGLE).put(THOUGHT_SIGNATURE_FIELD, signature);
        return extra;
    }

    static String arguments(JsonNode functionCall) {
        JsonNode args = functionCall.get("args");
        return args != null && args.isObject() ? args.toString() : "{}";
    }

    /** The OpenAI completion id: Gemini's response id, or a fresh one when Gemini gave none. */
    static String completionId(String responseId) {
        return "chatcmpl-" + (responseId.isEmpty() ? UUID.randomUUID().toString().replace("-", "") : responseId);
    }

    /**
     * A tool call's id: Gemini's own when the part carries one, else {@code call_<response id>_<n>} (hashed when
     * the response id is long or unusual), the same whether the answer was streamed or not, and short enough for
     * every provider a conversation may move to (OpenAI accepts 40 characters).
     */
    static String toolCallId(JsonNode functionCall, String responseId, int candidate, int call) {
        String own = functionCall.path("id").asText("");
        if (!own.isEmpty()) {
            return own;
        }
        String base = responseId;
        if (base.isEmpty()) {
            base = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        } else if (base.length() > 26 || !base.matches("[A-Za-z0-9_-]+")) {
            base = hash(base);
        }
        return GeminiRequestMapper.GENERATED_ID_PREFIX + base + "_" + (candidate > 0 ? candidate + "_" : "") + call;
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * STOP → stop (tool_calls when the candidate called functions); MAX_TOKENS → length; SAFETY, RECITATION,
     * BLOCKLIST, PROHIBITED_CONTENT, SPII, IMAGE_SAFETY → content_filter; anything else (LANGUAGE, OTHER,
     * MALFORMED_FUNCTION_CALL...) → stop.
     */
    static FinishReason finishReason(String reason, boolean calledTools) {
        if (reason == null) {
            return calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (reason) {
            case GeminiWire.MAX_TOKENS -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    /**
     * Gemini's usage in OpenAI's terms: prompt tokens (tool-use prompt tokens included) with the cached part as
     * {@code cached_tokens}; completion tokens are the candidates' plus the thoughts', as OpenAI counts reasoning
     * inside completion tokens, with the thoughts also given as {@code reasoning_tokens}.
     */
    static TokenUsage usage(JsonNode usage) {
        long prompt = usage.path("promptTokenCount").asLong(0) + usage.path("toolUsePromptTokenCount").asLong(0);
        long thoughts = usage.path("thoughtsTokenCount").asLong(0);
        long completion = usage.path("candidatesTokenCount").asLong(0) + thoughts;
        return new TokenUsage(prompt, completion, usage.path("cachedContentTokenCount").asLong(0), 0, thoughts);
    }

    /** Gemini's {@code logprobsResult} as OpenAI's {@code logprobs.content}; null when absent. */
    static ObjectNode logprobs(JsonNode result, JsonNodeFactory json) {
        JsonNode chosen = result.path("chosenCandidates");
        if (!chosen.isArray() || chosen.isEmpty()) {
            return null;
        }
        ObjectNode out = json.objectNode();
        ArrayNode content = out.putArray("content");
        JsonNode top = result.path("topCandidates");
        for (int i = 0; i < chosen.size(); i++) {
            ObjectNode token = entry(chosen.get(i), json);
            ArrayNode alternatives = token.putArray("top_logprobs");
            for (JsonNode alt : top.path(i).path("candidates")) {
                alternatives.add(entry(alt, json));
            }
            content.add(token);
        }
        out.putNull("refusal");
        return out;
    }

    private static ObjectNode entry(JsonNode candidate, JsonNodeFactory json) {
        String token = candidate.path("token").asText("");
        ObjectNode out = json.objectNode();
        out.put("token", token);
        out.put("logprob", candidate.path("logProbability").asDouble(0));
        ArrayNode bytes = out.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return out;
    }

    /** The 400 for a prompt Gemini refused to answer ({@code promptFeedback.blockReason}). */
    static ApiException blocked(String provider, JsonNode feedback) {
        String reason = feedback.path("blockReason").asText("");
        if (reason.isEmpty()) {
            return dev.sluice.provider.UpstreamException.badResponse(provider, "an answer without candidates");
        }
        StringBuilder categories = new StringBuilder();
        for (JsonNode rating : feedback.path("safetyRatings")) {
            if (rating.path("blocked").asBoolean(false) || "HIGH".equals(rating.path("probability").asText())
                    || "MEDIUM".equals(rating.path("probability").asText())) {
                if (!categories.isEmpty()) {
                    categories.append(", ");
                }
                categories.append(rating.path("category").asText());
            }
        }
        String message = Secrets.redact(feedback.path("blockReasonMessage").asText(""));
        return ApiException.invalidRequest("Provider '" + provider + "' refused the prompt: Gemini blocked it ("
                + "blockReason " + reason + (categories.isEmpty() ? "" : "; " + categories) + ")"
                + (message.isEmpty() ? "" : ": " + message), "messages", "content_policy_violation");
    }
}
