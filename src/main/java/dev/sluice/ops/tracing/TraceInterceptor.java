package dev.sluice.ops.tracing;

import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.Stage;

/**
 * An interceptor that exists only to trace: it runs at its own stage, and is left out of the request path
 * altogether when tracing is off. Its beans are singletons, as {@link Tracing} is: nothing to proxy, and the base
 * class keeps its state final.
 */
abstract class TraceInterceptor implements ExchangeInterceptor {

    protected final Tracing tracing;
    private final Stage stage;

    protected TraceInterceptor(Tracing tracing, Stage stage) {
        this.tracing = tracing;
        this.stage = stage;
    }

    /** Left out of the request path when tracing is off. */
    @Override
    public boolean active() {
        return tracing.enabled();
    }

    @Override
    public Stage stage() {
        return stage;
    }
}
