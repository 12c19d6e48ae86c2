package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.ApiException;
import dev.sluice.api.Secrets;
import dev.sluice.provider.CompletionBuilder;
import dev.sluice.provider.FinishReason;
import dev.sluice.provider.TokenUsage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import static dev.sluice.provider.gemini.GeminiWire.EXTRA_CONTENT;
import static dev.sluice.provider.gemini.GeminiWire.FUNCTION_CALL;
import static dev.sluice.provider.gemini.GeminiWire.GOOGLE;
import static dev.sluice.provider.gemini.GeminiWire.TEXT;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT_SIGNATURE;
import static dev.sluice.provider.gemini.GeminiWire.THOUGHT_SIGNATURE_FIELD;

/**
 * Translates a Gemini {@code GenerateContentResponse} into an OpenAI {@code chat.completion}: one choice per
 * candidate; text parts become the content, thought parts {@code reasoning_content}, {@code functionCall} parts
 * tool calls (Gemini's own call id when it gives one, else a stable id derived from the response id, with the
 * thought signature kept in {@code extra_content.google.thought_signature}); the finish reason, usage and
 * log probabilities are mapped; a prompt Gemini blocked is a 400.
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
                if (part.has(FUNCTION_CALL)) {
                    JsonNode fc = part.get(FUNCTION_CALL);
                    builder.toolCall(toolCallId(fc, responseId, index, call++), fc.path("name").asText(""),
                            arguments(fc));
                    calledTools = true;
                } else if (part.path(TEXT).isTextual()) {
                    if (part.path(THOUGHT).asBoolean(false)) {
                        builder.reasoning(part.get(TEXT).asText());
                    } else {
                        builder.text(part.get(TEXT).asText());
                    }
                }
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
