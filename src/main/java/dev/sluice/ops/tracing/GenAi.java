package dev.sluice.ops.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Exchange;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenTelemetry's GenAI semantic conventions as Sluice fills them in: the attribute names (the conventions are
 * still incubating, so they are named here rather than taken from the incubating artifact) and pure readers of
 * OpenAI-format answers, unit-tested without a tracer.
 */
final class GenAi {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    /** Opt-in ({@code sluice.tracing.capture-content}): the prompt, as JSON, capped. */
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    /** Opt-in ({@code sluice.tracing.capture-content}): the completion, capped. */
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    static final AttributeKey<String> KEY_ID = AttributeKey.stringKey("sluice.key_id");
    static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("sluice.deployment");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("sluice.provider");
    static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("sluice.cost_usd");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("sluice.attempt");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("sluice.attempts");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("sluice.request_id");
    static final AttributeKey<Long> PAGE = AttributeKey.longKey("sluice.page");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");

    private GenAi() {
    }

    /** {@code gen_ai.operation.name}: {@code chat} or {@code embeddings}. */
    static String operation(Exchange exchange) {
        return exchange.operation() == Exchange.Operation.EMBEDDINGS ? "embeddings" : "chat";
    }

    /**
     * {@code gen_ai.system} for a provider kind: the conventions' well-known values where there is one
     * ({@code az.ai.openai}, {@code gcp.gemini}, {@code aws.bedrock}), else the kind itself.
     */
    static String system(String kind) {
        if (kind == null) {
            return "unknown";
        }
        return switch (kind) {
            case "azure" -> "az.ai.openai";
            case "gemini" -> "gcp.gemini";
            case "bedrock" -> "aws.bedrock";
            default -> kind;
        };
    }

    /** Each choice's {@code finish_reason} of a completion or of a chunk, in order; empty when none is set. */
    static List<String> finishReasons(JsonNode answer) {
        JsonNode choices = answer == null ? null : answer.get("choices");
        if (choices == null || !choices.isArray()) {
            return List.of();
        }
        List<String> reasons = new ArrayList<>(choices.size());
        for (JsonNode choice : choices) {
            JsonNode reason = choice.get("finish_reason");
            if (reason != null && reason.isTextual()) {
                reasons.add(reason.asText());
            }
        }
        return reasons;
    }

    /** The model an answer says it came from; null when it does not say. */
    static String responseModel(JsonNode answer) {
        JsonNode model = answer == null ? null : answer.get("model");
        return model != null && model.isTextual() && !model.asText().isEmpty() ? model.asText() : null;
    }

    /** A token count of OpenAI's {@code usage} object; -1 when absent. */
    static long tokens(JsonNode usage, String field) {
        JsonNode n = usage == null ? null : usage.get(field);
        return n != null && n.canConvertToLong() ? n.asLong() : -1;
    }

    /** Text cut to at most {@code limit} characters, never in the middle of a surrogate pair. */
    static String capped(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int end = limit;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The host of a URL, without its user info, port, path or query; null when it has none. */
    static String host(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            return host == null || host.isEmpty() ? null : host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A whole answer's model, finish reasons and usage on a span. */
    static void response(Span span, JsonNode answer) {
        String model = responseModel(answer);
        if (model != null) {
            span.setAttribute(RESPONSE_MODEL, model);
        }
        List<String> reasons = finishReasons(answer);
        if (!reasons.isEmpty()) {
            span.setAttribute(FINISH_REASONS, reasons);
        }
        usage(span, answer.get("usage"));
    }

    /** Input and output tokens of OpenAI's {@code usage} object on a span (those it reports). */
    static void usage(Span span, JsonNode usage) {
        long input = tokens(usage, "prompt_tokens");
        long output = tokens(usage, "completion_tokens");
        if (input >= 0) {
            span.setAttribute(INPUT_TOKENS, input);
        }
        if (output >= 0) {
            span.setAttribute(OUTPUT_TOKENS, output);
        }
    }
}
