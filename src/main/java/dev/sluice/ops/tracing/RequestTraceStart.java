package dev.sluice.ops.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.openai.WireBody;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

/**
 * Takes the request's span (the HTTP server span) first thing, while the exchange is still on the request's own
 * context: later steps may continue on other threads, where "the current span" is no longer the request's. With
 * {@code sluice.tracing.capture-content}, also records the prompt as the client sent it (before retrieval adds
 * pages to it).
 */
@Singleton
public class RequestTraceStart extends TraceInterceptor {

    @Inject
    public RequestTraceStart(Tracing tracing) {
        super(tracing, Stage.TRACE);
    }

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (!tracing.enabled()) {
            return CONTINUE;
        }
        Span span = tracing.requestSpan(exchange);
        if (tracing.captureContent() && span.isRecording()) {
            WireBody<?> body = exchange.chat() != null ? exchange.chat() : exchange.embeddings();
            JsonNode input = body == null ? null
                    : body.body().get(exchange.chat() != null ? "messages" : "input");
            if (input != null) {
                span.setAttribute(GenAi.INPUT_MESSAGES, GenAi.capped(input.toString(), tracing.contentLimit()));
            }
        }
        return CONTINUE;
    }
}
