package dev.sluice.provider;

import dev.sluice.openai.TokenUsage;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every upstream call of one client request shares: the request id propagated upstream, a clock of the
 * time spent waiting on upstreams, from which Sluice's own overhead is derived, and the token usage a provider
 * has reported so far in a stream that has not ended (so that a stream cut short is charged what the provider
 * said it used, not only an estimate), and the trace context of the attempt under way, sent upstream.
 */
public final class CallContext {

    private final String requestId;
    private final AtomicLong upstreamNanos = new AtomicLong();
    private volatile TokenUsage usageSoFar;
    private volatile Map<String, String> traceHeaders = Map.of();

    public CallContext(String requestId) {
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }

    /** Adds time spent waiting on an upstream (request sent until response read, or headers for a stream). */
    public void addUpstreamTime(long nanos) {
        upstreamNanos.addAndGet(nanos);
    }

    public long upstreamNanos() {
        return upstreamNanos.get();
    }

    /**
     * A translating adapter reports the usage its provider has announced so far in a stream (Anthropic's
     * {@code message_start}, Gemini's running {@code usageMetadata}): cumulative figures, each report replacing
     * the last. The stream's final usage chunk remains what a complete stream is settled with.
     */
    public void reportUsageSoFar(TokenUsage usage) {
        this.usageSoFar = usage;
    }

    /** The usage last reported by {@link #reportUsageSoFar}, if any. */
    public Optional<TokenUsage> usageSoFar() {
        return Optional.ofNullable(usageSoFar);
    }

    /**
     * The trace-context headers ({@code traceparent}, {@code tracestate}) of the attempt under way, set by the
     * router for each attempt when tracing is on; every upstream request carries them. Empty otherwise.
     */
    public Map<String, String> traceHeaders() {
        return traceHeaders;
    }

    public void traceHeaders(Map<String, String> headers) {
        this.traceHeaders = headers;
    }
}
