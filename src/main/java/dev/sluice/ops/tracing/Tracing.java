package dev.sluice.ops.tracing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.UpstreamException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.Map;

/**
 * The one place the gateway makes spans: the request's (Quarkus' HTTP server span, which has the client's
 * {@code traceparent} as parent), one per upstream attempt, per page fetched for {@code web_extract} and per ledger
 * line committed. Every method returns at once, allocating nothing, when tracing is off (the SDK disabled): callers
 * get null and pass it back, so that the request path pays one boolean test. A singleton, not a proxied bean: that
 * test is a plain field read.
 *
 * <p>Spans carry identifiers (key id, deployment, provider, models) and figures (tokens, cost), never a key, a
 * header, an upstream URL or message text, unless {@code sluice.tracing.capture-content} asks for the text.
 */
@Singleton
public class Tracing {

    /** The request span, taken once from the HTTP server while the exchange is on the request's context. */
    private static final Exchange.Key<Span> REQUEST = new Exchange.Key<>("sluice.trace.request", Span.class);
    /** A streamed attempt's span, open until its stream ends. */
    private static final Exchange.Key<Span> STREAMING = new Exchange.Key<>("sluice.trace.stream", Span.class);

    static final String LEDGER_COMMIT = "sluice.ledger.commit";
    static final String PAGE_FETCH = "sluice.web_extract.page";

    private final boolean enabled;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean captureContent;
    private final int contentLimit;

    @Inject
    public Tracing(@ConfigProperty(name = TracingConfigSource.SDK_DISABLED, defaultValue = "false") boolean sdkDisabled,
                   Instance<OpenTelemetry> openTelemetry, TracingConfig config) {
        this.enabled = !sdkDisabled;
        OpenTelemetry otel = enabled ? openTelemetry.get() : OpenTelemetry.noop();
        this.tracer = otel.getTracer("dev.sluice");
        this.propagator = otel.getPropagators().getTextMapPropagator();
        this.captureContent = enabled && config.captureContent();
        this.contentLimit = Math.max(0, config.contentLimit());
    }

    private Tracing() {
        this.enabled = false;
        this.tracer = OpenTelemetry.noop().getTracer("dev.sluice");
        this.propagator = TextMapPropagator.noop();
        this.captureContent = false;
        this.contentLimit = 0;
    }

    /** Tracing that is off, for code built without CDI (plain unit tests) until its bean is injected. */
    public static Tracing off() {
        return new Tracing();
    }

    public boolean enabled() {
        return enabled;
    }

    boolean captureContent() {
        return captureContent;
    }

    int contentLimit() {
        return contentLimit;
    }

    /**
     * The request's span: the HTTP server span current when first asked (on the request's context), kept on the
     * exchange for the steps that run elsewhere. Null when tracing is off; a span that records nothing (sampled
     * out, or none current) when the request is not traced, so that its children are not either.
     */
    public Span requestSpan(Exchange exchange) {
        if (!enabled) {
            return null;
        }
        Span span = exchange.get(REQUEST);
        if (span == null) {
            span = Span.current();
            exchange.put(REQUEST, span);
        }
        return span;
    }

    /**
     * The span of the request's ledger line, from queueing it until its group commit (the wait the request pays
     * for a durable charge); null when tracing is off.
     */
    public Span ledgerCommit(Exchange exchange) {
        if (!enabled) {
            return null;
        }
        Span span = child(exchange, LEDGER_COMMIT);
        if (exchange.caller() != null && exchange.caller().keyId() != null) {
            span.setAttribute(GenAi.KEY_ID, exchange.caller().keyId());
        }
        return span;
    }

    /**
     * The span of one page fetched and extracted for the request's {@code web_extract}; null when tracing is off.
     * It names the page's host only: a URL's path and query may carry a site's tokens.
     *
     * @param index the page's number among the request's URLs, from 1
     */
    public Span pageFetch(Exchange exchange, int index, String url) {
        if (!enabled) {
            return null;
        }
        Span span = child(exchange, PAGE_FETCH);
        span.setAttribute(GenAi.PAGE, (long) index);
        String host = GenAi.host(url);
        if (host != null) {
            span.setAttribute(GenAi.SERVER_ADDRESS, host);
        }
        return span;
    }

    /** Ends a page's span: its outcome, an error code when it could not be used. */
    public static void pageFetched(Span span, String errorCode) {
        if (span == null) {
            return;
        }
        if (errorCode != null) {
            span.setAttribute(GenAi.ERROR_TYPE, errorCode);
            span.setStatus(StatusCode.ERROR, errorCode);
        }
        span.end();
    }

    private Span child(Exchange exchange, String name) {
        return tracer.spanBuilder(name).setParent(parent(exchange)).setSpanKind(SpanKind.INTERNAL).startSpan();
    }

    /**
     * The span of one upstream attempt, a client span under the request's named like GenAI spans
     * ({@code chat gpt-4o}); its W3C trace context becomes the attempt's upstream headers. Null when tracing is off.
     *
     * @param number the attempt's number in the request, from 1
     * @param model the model name sent upstream
     */
    public Span attempt(Exchange exchange, int number, String deployment, String provider, String kind,
                        String model) {
        if (!enabled) {
            return null;
        }
        String operation = GenAi.operation(exchange);
        Span span = tracer.spanBuilder(operation + " " + model)
                .setParent(parent(exchange))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(GenAi.OPERATION, operation)
                .setAttribute(GenAi.SYSTEM, GenAi.system(kind))
                .setAttribute(GenAi.REQUEST_MODEL, model)
                .setAttribute(GenAi.ATTEMPT, (long) number)
                .setAttribute(GenAi.DEPLOYMENT, deployment)
                .setAttribute(GenAi.PROVIDER, provider)
                .startSpan();
        Map<String, String> headers = new HashMap<>(4);
        propagator.inject(Context.root().with(span), headers, (carrier, key, value) -> carrier.put(key, value));
        exchange.context().traceHeaders(Map.copyOf(headers));
        return span;
    }

    /**
     * An attempt that was answered: a whole answer ends its span with the answer's model, usage and finish
     * reasons; a stream keeps it open until the exchange finishes ({@link #finishStream}).
     */
    public void attemptAnswered(Exchange exchange, Span span, Object answer) {
        if (span == null) {
            return;
        }
        if (answer instanceof ObjectNode response) {
            GenAi.response(span, response);
            span.setStatus(StatusCode.OK);
            span.end();
        } else {
            exchange.put(STREAMING, span);
        }
    }

    /** An attempt that failed: its error kind and upstream status, no message (it may quote the upstream). */
    public void attemptFailed(Span span, Throwable failure) {
        if (span == null) {
            return;
        }
        failed(span, failure);
        span.end();
    }

    /** An attempt the request stopped waiting for (the client went away, the request's deadline passed). */
    public void attemptAbandoned(Span span) {
        if (span == null) {
            return;
        }
        span.setAttribute(GenAi.ERROR_TYPE, "cancelled");
        span.setStatus(StatusCode.ERROR, "abandoned");
        span.end();
    }

    /** Ends the span of the streamed attempt that served the exchange, with the stream's usage; once. */
    void finishStream(Exchange exchange, ObjectNode usage, Throwable failure) {
        Span span = exchange.get(STREAMING);
        if (span == null) {
            return;
        }
        exchange.put(STREAMING, null);
        if (usage != null) {
            GenAi.usage(span, usage);
        }
        if (failure != null) {
            failed(span, failure);
        } else {
            span.setStatus(StatusCode.OK);
        }
        span.end();
    }

    /** Ends a child span; a failure marks it as an error, by its type only. */
    public static void end(Span span, Throwable failure) {
        if (span == null) {
            return;
        }
        if (failure != null) {
            failed(span, failure);
        }
        span.end();
    }

    static void failed(Span span, Throwable failure) {
        String type = errorType(failure);
        span.setAttribute(GenAi.ERROR_TYPE, type);
        if (failure instanceof UpstreamException u && u.upstreamStatus() > 0) {
            span.setAttribute(GenAi.HTTP_STATUS, (long) u.upstreamStatus());
        } else if (failure instanceof ApiException a) {
            span.setAttribute(GenAi.HTTP_STATUS, (long) a.status());
        }
        span.setStatus(StatusCode.ERROR, type);
    }

    /** What went wrong, as a short code: the upstream failure's kind, the API error's code, else the class. */
    static String errorType(Throwable failure) {
        if (failure instanceof UpstreamException u) {
            return u.kind().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (failure instanceof ApiException a) {
            return a.code() != null ? a.code() : a.type();
        }
        return failure.getClass().getSimpleName();
    }

    private Context parent(Exchange exchange) {
        return Context.root().with(requestSpan(exchange));
    }
}
