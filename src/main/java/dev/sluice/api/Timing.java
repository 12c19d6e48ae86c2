package dev.sluice.api;

import io.vertx.ext.web.RoutingContext;

/** When Sluice started handling a request (recorded by {@link RequestIds}, the first handler). */
public final class Timing {

    static final String CONTEXT_KEY = "sluice.start-nanos";

    private Timing() {
    }

    public static long start(RoutingContext rc) {
        Long start = rc.get(CONTEXT_KEY);
        return start != null ? start : System.nanoTime();
    }
}
