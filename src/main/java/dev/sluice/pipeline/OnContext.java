package dev.sluice.pipeline;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;

/**
 * Brings work that finished elsewhere (a worker thread, Redis, the database) back onto the request's Vert.x
 * context, where the exchange is confined: inline when already there, or when there is no context at all.
 */
public final class OnContext {

    private OnContext() {
    }

    public static Executor of(Context context) {
        if (context == null) {
            return Runnable::run;
        }
        return command -> {
            if (Vertx.currentContext() == context) {
                command.run();
            } else {
                context.runOnContext(v -> command.run());
            }
        };
    }
}
