package dev.sluice.ops.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.GatewayHeaders;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Outcome;
import dev.sluice.pipeline.Stage;
import dev.sluice.openai.ChatChunk;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts on the request's span what the exchange came to, once metering has priced it: the GenAI attributes (system,
 * operation, models requested and served, tokens, finish reasons) and Sluice's own (key id, deployment, attempts,
 * cost); ends the span of a streamed attempt with its stream. Does nothing, and keeps nothing, when tracing is off.
 */
@Singleton
public class RequestTraceSummary extends TraceInterceptor {

    /** What the answer said, gathered from a whole response or from the chunks of a stream. */
    private static final class Answer {
        String model;
        final Set<String> finishReasons = new LinkedHashSet<>();
        StringBuilder text;
    }

    private static final Exchange.Key<Answer> ANSWER = new Exchange.Key<>("sluice.trace.answer", Answer.class);

    @Inject
    public RequestTraceSummary(Tracing tracing) {
        super(tracing, Stage.TRACE_SUMMARY);
    }

    @Override
    public void onResponse(Exchange exchange, ObjectNode response) {
        gather(exchange, response, "message");
    }

    @Override
    public void onChunk(Exchange exchange, ChatChunk chunk) {
        if (!chunk.carrier()) {
            gather(exchange, chunk.json(), "delta");
        }
    }

    /**
     * Adds what a whole response or a stream's chunk says: the model (the first one named), the finish reasons
     * and, when content is captured, the text of its choices' {@code part} ({@code message} or {@code delta}).
     */
    private void gather(Exchange exchange, ObjectNode json, String part) {
        if (!tracing.enabled()) {
            return;
        }
        Answer answer = answer(exchange);
        if (answer.model == null) {
            answer.model = GenAi.responseModel(json);
        }
        answer.finishReasons.addAll(GenAi.finishReasons(json));
        if (answer.text != null) {
            for (JsonNode choice : json.path("choices")) {
                append(answer, choice.path(part).path("content"));
            }
        }
    }

    @Override
    public Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        if (!tracing.enabled()) {
            return CONTINUE;
        }
        ObjectNode usage = exchange.usage().orElse(null);
        Span span = tracing.requestSpan(exchange);
        if (span.isRecording()) {
            describe(span, exchange, outcome, usage);
        }
        tracing.finishStream(exchange, usage, outcome.status() == Outcome.Status.ABORTED
                ? new java.util.concurrent.CancellationException("the client went away") : outcome.failure());
        return CONTINUE;
    }

    private void describe(Span span, Exchange exchange, Outcome outcome, ObjectNode usage) {
        span.setAttribute(GenAi.OPERATION, GenAi.operation(exchange));
        span.setAttribute(GenAi.REQUEST_ID, exchange.requestId());
        if (exchange.requestedModel() != null) {
            span.setAttribute(GenAi.REQUEST_MODEL, exchange.requestedModel());
        }
        if (exchange.caller() != null && exchange.caller().keyId() != null) {
            span.setAttribute(GenAi.KEY_ID, exchange.caller().keyId());
        }
        if (exchange.target() != null) {
            span.setAttribute(GenAi.SYSTEM, GenAi.system(exchange.target().provider().kind()));
            span.setAttribute(GenAi.PROVIDER, exchange.target().provider().name());
        }
        String deployment = exchange.responseHeaders().get(GatewayHeaders.DEPLOYMENT);
        if (deployment != null) {
            span.setAttribute(GenAi.DEPLOYMENT, deployment);
        }
        long attempts = number(exchange.responseHeaders().get(GatewayHeaders.ATTEMPTS));
        if (attempts >= 0) {
            span.setAttribute(GenAi.ATTEMPTS, attempts);
        }
        Answer answer = exchange.get(ANSWER);
        if (answer != null) {
            if (answer.model != null) {
                span.setAttribute(GenAi.RESPONSE_MODEL, answer.model);
            }
            if (!answer.finishReasons.isEmpty()) {
                span.setAttribute(GenAi.FINISH_REASONS, List.copyOf(answer.finishReasons));
            }
            if (answer.text != null) {
                span.setAttribute(GenAi.OUTPUT_MESSAGES, answer.text.toString());
            }
        }
        GenAi.usage(span, usage);
        double cost = cost(exchange, usage);
        if (cost >= 0) {
            span.setAttribute(GenAi.COST_USD, cost);
        }
        if (outcome.failure() != null) {
            span.setAttribute(GenAi.ERROR_TYPE, Tracing.errorType(outcome.failure()));
        }
    }

    private Answer answer(Exchange exchange) {
        Answer answer = exchange.get(ANSWER);
        if (answer == null) {
            answer = new Answer();
            if (tracing.captureContent()) {
                answer.text = new StringBuilder();
            }
            exchange.put(ANSWER, answer);
        }
        return answer;
    }

    private void append(Answer answer, JsonNode content) {
        int room = tracing.contentLimit() - answer.text.length();
        if (content.isTextual() && room > 0) {
            answer.text.append(GenAi.capped(content.asText(), room));
        }
    }

    /** What the exchange was charged, as metering reported it; -1 when it was not priced. */
    private static double cost(Exchange exchange, ObjectNode usage) {
        String header = exchange.responseHeaders().get(GatewayHeaders.COST_USD);
        if (header != null) {
            try {
                return Double.parseDouble(header);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        JsonNode cost = usage == null ? null : usage.get("cost");
        return cost != null && cost.isNumber() ? cost.asDouble() : -1;
    }

    private static long number(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
