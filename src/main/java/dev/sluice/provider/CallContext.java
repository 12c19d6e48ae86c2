package dev.sluice.provider;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every upstream call of one client request shares: the request id propagated upstream, and a clock of the
 * time spent waiting on upstreams, from which Sluice's own overhead is derived.
 */
public final class CallContext {

    private final String requestId;
    private final AtomicLong upstreamNanos = new AtomicLong();

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
}
