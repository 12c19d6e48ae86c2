package dev.sluice.routing;

import io.smallrye.mutiny.Uni;
import dev.sluice.provider.LoopTimeouts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Timers that fire on the request's own Vert.x context, so that a timeout or a backoff wait continues the request
 * on its event loop (Mutiny's {@code ifNoItem} would continue it on a scheduler thread). Cancelling what waits on a
 * timer cancels the timer; a timeout cancels what it bounds, which resets the upstream request.
 */
final class ContextTimers {

    private final Vertx vertx;
    private final ContextInternal context;

    ContextTimers(Vertx vertx, Context context) {
        this.vertx = vertx;
        this.context = (ContextInternal) context;
    }

    /** Completes after the given time. */
    Uni<Void> sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(em -> {
            long id = context.setTimer(Math.max(1, d.toMillis()), t -> em.complete(null));
            em.onTermination(() -> vertx.cancelTimer(id));
        });
    }

    /** The item of {@code uni}, or {@code onTimeout}'s failure if none arrives within {@code limit}. */
    <T> Uni<T> deadline(Uni<T> uni, Duration limit, Supplier<Throwable> onTimeout) {
        return LoopTimeouts.on(context, uni, limit, onTimeout);
    }

    /** Runs the action once after the delay, on the request's context; returns the timer id. */
    long after(long millis, Runnable action) {
        return context.setTimer(Math.max(1, millis), t -> action.run());
    }

    void cancel(long timerId) {
        vertx.cancelTimer(timerId);
    }
}
