package dev.sluice.routing;

import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Holds an upstream stream back until its first chunk has arrived, so that the router commits to a deployment
 * only once it has proved it can answer: a stream that fails (or ends) before its first chunk is an attempt that
 * failed, and the request moves on to another deployment without the client seeing anything. Once primed, the
 * stream is handed out with that first chunk replayed ahead of the rest, the client's demand passed upstream
 * (no buffering), and the deployment's stream idle timeout enforced: a silence that long cancels the upstream
 * request and fails the stream with a timeout.
 *
 * <p>Single use, single subscriber. Signals to the downstream subscriber are serialised.
 */
final class FirstChunkGate implements Flow.Subscriber<ChatChunk>, Flow.Publisher<ChatChunk>, Flow.Subscription {

    private final UniEmitter<? super ChatStream> primedEmitter;
    private final ContextTimers timers;
    private final long idleNanos;
    private final Supplier<Throwable> idleTimeout;
    private final Supplier<Throwable> emptyStream;
    private final BiConsumer<Throwable, Boolean> onEnd;
    /** The gated stream, whose native protocol the primed one keeps. */
    private final ChatStream source;
    private boolean ended;

    private Flow.Subscription upstream;
    private boolean primed;
    private ChatChunk head;
    private boolean headSent;
    private boolean headSending;
    private Flow.Subscriber<? super ChatChunk> downstream;
    private Throwable pendingError;
    private boolean pendingComplete;
    private boolean terminated;
    private boolean cancelled;
    private long outstanding;
    private long lastActivity;
    private long idleTimer = -1;

    private FirstChunkGate(UniEmitter<? super ChatStream> primedEmitter, ContextTimers timers, Duration idle,
                           Supplier<Throwable> idleTimeout, Supplier<Throwable> emptyStream,
                           BiConsumer<Throwable, Boolean> onEnd, ChatStream source) {
        this.primedEmitter = primedEmitter;
        this.source = source;
        this.onEnd = onEnd;
        this.timers = timers;
        this.idleNanos = idle.toNanos();
        this.idleTimeout = idleTimeout;
        this.emptyStream = emptyStream;
    }

    /**
     * A Uni that completes with the stream once its first chunk has arrived, or fails with the stream's failure
     * (or {@code emptyStream} when it ends without any chunk). Cancelling it cancels the upstream stream.
     *
     * @param onEnd called once when a primed stream ends, whether or not anyone subscribed to it: with its
     *              failure (null when it completed) and whether the client cancelled it
     */
    static Uni<ChatStream> prime(ChatStream stream, ContextTimers timers, Duration idle,
                                 Supplier<Throwable> idleTimeout, Supplier<Throwable> emptyStream,
                                 BiConsumer<Throwable, Boolean> onEnd) {
        return Uni.createFrom().emitter(em -> {
            FirstChunkGate gate = new FirstChunkGate(em, timers, idle, idleTimeout, emptyStream, onEnd, stream);
            em.onTermination(gate::primingEnded);
            stream.chunks().subscribe().withSubscriber(gate);
        });
    }

    // ---- upstream side ----------------------------------------------------------------------------------------

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancelNow;
        synchronized (this) {
            upstream = s;
            cancelNow = cancelled;
            if (!cancelNow) {
                outstanding = 1;
            }
        }
        if (cancelNow) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(ChatChunk chunk) {
        Flow.Subscriber<? super ChatChunk> deliverTo = null;
        boolean becamePrimed = false;
        synchronized (this) {
            if (terminated || cancelled) {
                return;
            }
            outstanding--;
            lastActivity = System.nanoTime();
            if (!primed) {
                primed = true;
                head = chunk;
                becamePrimed = true;
            } else {
                deliverTo = downstream;
            }
        }
        if (becamePrimed) {
            armIdle(idleNanos);
            primedEmitter.complete(source.withChunks(Multi.createFrom().publisher(this)));
        } else if (deliverTo != null) {
            deliverTo.onNext(chunk);
        }
    }

    @Override
    public void onError(Throwable failure) {
        terminate(failure, false);
    }

    @Override
    public void onComplete() {
        terminate(null, false);
    }

    private void terminate(Throwable failure, boolean fromIdle) {
        boolean failPriming = false;
        Flow.Subscriber<? super ChatChunk> deliverTo = null;
        synchronized (this) {
            if (terminated || cancelled) {
                return;
            }
            terminated = true;
            if (!primed) {
                primed = true;
                failPriming = true;
            } else if (headSent && downstream != null) {
                deliverTo = downstream;
            } else if (failure != null) {
                pendingError = failure;
            } else {
                pendingComplete = true;
            }
        }
        if (idleTimer >= 0) {
            timers.cancel(idleTimer);
        }
        if (fromIdle && upstream != null) {
            upstream.cancel();
        }
        if (failPriming) {
            primedEmitter.fail(failure != null ? failure : emptyStream.get());
            return;
        }
        end(failure, false);
        if (deliverTo != null) {
            if (failure != null) {
                deliverTo.onError(failure);
            } else {
                deliverTo.onComplete();
            }
        }
    }

    /** The priming Uni ended: if it was cancelled before the first chunk, the upstream request goes too. */
    private void primingEnded() {
        Flow.Subscription s;
        synchronized (this) {
            if (primed) {
                return;
            }
            cancelled = true;
            s = upstream;
        }
        if (s != null) {
            s.cancel();
        }
    }

    private void armIdle(long nanos) {
        idleTimer = timers.after(Math.max(1, nanos / 1_000_000), this::idleCheck);
    }

    private void idleCheck() {
        long wait;
        synchronized (this) {
            if (terminated || cancelled) {
                return;
            }
            long silent = System.nanoTime() - lastActivity;
            if (outstanding <= 0 && downstream != null) {
                // the client is not asking for more: its own pace, not the upstream's silence
                lastActivity = System.nanoTime();
                wait = idleNanos;
            } else if (silent >= idleNanos) {
                wait = -1;
            } else {
                wait = idleNanos - silent;
            }
        }
        if (wait < 0) {
            terminate(idleTimeout.get(), true);
        } else {
            armIdle(wait);
        }
    }

    // ---- downstream side --------------------------------------------------------------------------------------

    @Override
    public void subscribe(Flow.Subscriber<? super ChatChunk> subscriber) {
        boolean accepted;
        synchronized (this) {
            accepted = downstream == null;
            if (accepted) {
                downstream = subscriber;
            }
        }
        if (!accepted) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("a routed stream has a single subscriber"));
            return;
        }
        subscriber.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            return;
        }
        ChatChunk first = null;
        long forward = 0;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            long want = n;
            if (!headSent && !headSending) {
                headSending = true;
                first = head;
                head = null;
                want = n == Long.MAX_VALUE ? n : n - 1;
            }
            if (want > 0 && !terminated) {
                outstanding = outstanding + want < 0 ? Long.MAX_VALUE : outstanding + want;
                forward = want;
                lastActivity = System.nanoTime();
            }
        }
        if (first != null) {
            downstream.onNext(first);
            Throwable error;
            boolean complete;
            synchronized (this) {
                headSent = true;
                headSending = false;
                error = pendingError;
                complete = pendingComplete;
                pendingError = null;
                pendingComplete = false;
            }
            if (error != null) {
                downstream.onError(error);
                return;
            }
            if (complete) {
                downstream.onComplete();
                return;
            }
        }
        if (forward > 0 && upstream != null) {
            upstream.request(forward);
        }
    }

    @Override
    public void cancel() {
        Flow.Subscription s;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            s = upstream;
        }
        if (idleTimer >= 0) {
            timers.cancel(idleTimer);
        }
        if (s != null && !terminated) {
            s.cancel();
        }
        end(null, true);
    }

    private void end(Throwable failure, boolean byClient) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        onEnd.accept(failure, byClient);
    }
}
