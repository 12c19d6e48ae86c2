package dev.sluice.provider;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.operators.multi.AbstractMultiOperator;
import io.smallrye.mutiny.operators.multi.MultiOperatorProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Time limits kept by a timer of the request's own Vert.x event loop: on timeout the work they bound is cancelled
 * (which resets an upstream request) and the failure continues the request on its loop. Off an event loop (a worker
 * thread, a test) they fall back to Mutiny's {@code ifNoItem}.
 *
 * <p>{@link #idle} bounds the silence between a stream's items. Mutiny's {@code ifNoItem} on a stream sets a timer
 * and cancels the previous one for every item (Quarkus runs Mutiny's timeouts on Vert.x timers): per chunk, two
 * map updates, a scheduled-task insert and removal and several allocations. Here one timer covers a whole silence: an
 * item only notes its time, and the timer, when it fires, waits for the rest of the limit if an item came meanwhile.
 * {@link #on} is the router's bound on an attempt, shared so that both are written once.
 */
public final class LoopTimeouts {

    private LoopTimeouts() {
    }

    /**
     * The item of {@code uni}, or {@code onTimeout}'s failure if none arrives within {@code limit}, the timer set on
     * {@code context} (the request's) whichever thread subscribes.
     */
    public static <T> Uni<T> on(Context context, Uni<T> uni, Duration limit, Supplier<? extends Throwable> onTimeout) {
        if (!(context instanceof ContextInternal loop) || !context.isEventLoopContext()) {
            return uni.ifNoItem().after(limit).failWith(onTimeout);
        }
        return Uni.createFrom().<T>emitter(em -> new Watch<T>(loop, onTimeout, em).start(uni, limit));
    }

    /**
     * The items of {@code multi}, failing with {@code onTimeout}'s failure (and cancelling the stream) once it has
     * sent nothing for {@code limit}, from the subscription or from its last item.
     */
    public static <T> Multi<T> idle(Multi<T> multi, Duration limit, Supplier<? extends Throwable> onTimeout) {
        return Multi.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (!(context instanceof ContextInternal loop) || !context.isEventLoopContext()) {
                return multi.ifNoItem().after(limit).failWith(onTimeout);
            }
            return new AbstractMultiOperator<T, T>(multi) {
                @Override
                public void subscribe(MultiSubscriber<? super T> downstream) {
                    upstream.subscribe().withSubscriber(new IdleWatch<T>(downstream, loop, limit.toNanos(), onTimeout));
                }
            };
        });
    }

    /**
     * Passes a stream through, watching its silences: the timer, set for the whole limit, looks at the time of the
     * last item when it fires and waits for the rest of the limit if one came meanwhile.
     */
    private static final class IdleWatch<T> extends MultiOperatorProcessor<T, T> implements Handler<Long> {

        private final ContextInternal context;
        private final long limitNanos;
        private final Supplier<? extends Throwable> onTimeout;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile long lastItem;
        private volatile long timer = -1;

        IdleWatch(MultiSubscriber<? super T> downstream, ContextInternal context, long limitNanos,
                  Supplier<? extends Throwable> onTimeout) {
            super(downstream);
            this.context = context;
            this.limitNanos = limitNanos;
            this.onTimeout = onTimeout;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            lastItem = System.nanoTime();
            arm(limitNanos);
            super.onSubscribe(subscription);
        }

        @Override
        public void onItem(T item) {
            lastItem = System.nanoTime();
            super.onItem(item);
        }

        @Override
        public void onFailure(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                disarm();
            }
            super.onFailure(failure);
        }

        @Override
        public void onCompletion() {
            if (ended.compareAndSet(false, true)) {
                disarm();
            }
            super.onCompletion();
        }

        @Override
        public void cancel() {
            if (ended.compareAndSet(false, true)) {
                disarm();
            }
            super.cancel();
        }

        /** The timer fired: a timeout, or an item came since it was set and the rest of the limit is waited. */
        @Override
        public void handle(Long id) {
            if (ended.get()) {
                return;
            }
            long silent = System.nanoTime() - lastItem;
            if (silent < limitNanos) {
                arm(limitNanos - silent);
                return;
            }
            if (ended.compareAndSet(false, true)) {
                Flow.Subscription running = getAndSetUpstreamSubscription(Subscriptions.CANCELLED);
                if (running != Subscriptions.CANCELLED) {
                    if (running != null) {
                        running.cancel();
                    }
                    downstream.onFailure(onTimeout.get());
                }
            }
        }

        private void arm(long nanos) {
            timer = context.setTimer(Math.max(1, nanos / 1_000_000), this);
        }

        private void disarm() {
            long t = timer;
            if (t >= 0) {
                context.owner().cancelTimer(t);
            }
        }
    }

    /** One bounded subscription: whichever of item, failure, timeout and cancellation comes first wins. */
    private static final class Watch<T> extends AtomicBoolean implements Handler<Long> {

        private final ContextInternal context;
        private final Supplier<? extends Throwable> onTimeout;
        private final UniEmitter<? super T> emitter;
        private volatile Cancellable running;
        private volatile boolean abandoned;
        private long timer;

        Watch(ContextInternal context, Supplier<? extends Throwable> onTimeout, UniEmitter<? super T> emitter) {
            this.context = context;
            this.onTimeout = onTimeout;
            this.emitter = emitter;
        }

        void start(Uni<T> uni, Duration limit) {
            timer = context.setTimer(Math.max(1, limit.toMillis()), this);
            emitter.onTermination(this::terminated);
            Cancellable c = uni.subscribe().with(this::item, this::failed);
            running = c;
            if (abandoned) {
                c.cancel();
            }
        }

        /** The timer fired. */
        @Override
        public void handle(Long id) {
            if (compareAndSet(false, true)) {
                stopRunning();
                emitter.fail(onTimeout.get());
            }
        }

        private void item(T item) {
            if (compareAndSet(false, true)) {
                context.owner().cancelTimer(timer);
                emitter.complete(item);
            }
        }

        private void failed(Throwable failure) {
            if (compareAndSet(false, true)) {
                context.owner().cancelTimer(timer);
                emitter.fail(failure);
            }
        }

        /** Cancelled from downstream (or ended by one of the above, then nothing is left to do). */
        private void terminated() {
            if (compareAndSet(false, true)) {
                context.owner().cancelTimer(timer);
                abandoned = true;
                stopRunning();
            }
        }

        private void stopRunning() {
            Cancellable c = running;
            if (c != null) {
                c.cancel();
            }
        }
    }
}
