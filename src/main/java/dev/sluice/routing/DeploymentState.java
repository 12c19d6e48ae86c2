package dev.sluice.routing;

import dev.sluice.secrets.Secrets;
import dev.sluice.provider.UpstreamException;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the router knows about one deployment at run time: its circuit breaker (SmallRye Fault Tolerance), whether
 * it is resting after a 429 or taken out of rotation after its credentials were refused, requests in flight, the
 * moving average of its time to first byte, its rpm/tpm usage and its most recent errors.
 *
 * <p>Kept across configuration reloads as long as the deployment's definition does not change, so that a reload
 * does not reopen a breaker or forget a cooldown. Thread-safe: attempts run on every event loop.
 */
final class DeploymentState {

    /** How a deployment stands, as shown in {@code /admin/routes} and the state gauge. */
    enum Health {
        HEALTHY("healthy"), HALF_OPEN("half-open"), OPEN("open"), COOLING_DOWN("cooling-down"),
        CAPPED("capped"), DISABLED("disabled"), UNUSABLE("unusable");

        final String label;

        Health(String label) {
            this.label = label;
        }
    }

    /** One recent failure. */
    record RecentError(Instant at, String kind, int status, String message) {
    }

    private static final int RECENT = 10;
    private static final double EWMA_ALPHA = 0.3;

    final String group;
    final String id;
    final String fingerprint;
    private final RouteSettings settings;
    private volatile Guard guard;
    /** Which breaker is current: a replaced one's late state changes are ignored. */
    private volatile int generation;
    private final long openForNanos;
    private volatile CircuitBreakerState breaker = CircuitBreakerState.CLOSED;
    private volatile long openedAtNanos;
    private volatile long coolingUntilNanos;
    private volatile String disabledReason;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile double ttfbEwmaMillis = Double.NaN;
    private final AtomicLong samples = new AtomicLong();
    private final RateWindow requestWindow = new RateWindow();
    private final RateWindow tokenWindow = new RateWindow();
    private final Deque<RecentError> errors = new ArrayDeque<>();
    volatile RoutingMetrics.DeploymentMeters meters;
    /** The deployment this state currently belongs to (its caps change with reloads that keep the state). */
    volatile Deployment deployment;

    DeploymentState(String group, String id, String fingerprint, RouteSettings settings, boolean withBreaker) {
        this.group = group;
        this.id = id;
        this.fingerprint = fingerprint;
        this.settings = settings;
        this.openForNanos = settings.breakerOpenFor().toNanos();
        this.guard = withBreaker && settings.breakerEnabled() ? newGuard() : null;
    }

    private Guard newGuard() {
        int gen = ++generation;
        return Guard.create()
                .withDescription("deployment " + id)
                .withCircuitBreaker()
                .requestVolumeThreshold(settings.breakerWindow())
                .failureRatio(settings.breakerFailureRatio())
                .delay(settings.breakerOpenFor().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(settings.breakerProbes())
                .when(DeploymentState::countsAgainst)
                .onStateChange(state -> {
                    if (gen == generation) {
                        breakerChanged(state);
                    }
                })
                .done()
                .withThreadOffload(false)
                .build();
    }

    /** Failures that say the deployment is unwell; 429, 4xx and refused credentials are handled apart. */
    static boolean countsAgainst(Throwable f) {
        if (f instanceof UpstreamException u) {
            return switch (u.kind()) {
                case SERVER_ERROR, TIMEOUT, CONNECTION -> true;
                default -> false;
            };
        }
        return false;
    }

    /** The circuit breaker, or null when this deployment has none (plain routes, breakers switched off). */
    Guard guard() {
        return guard;
    }

    private void breakerChanged(CircuitBreakerState state) {
        CircuitBreakerState before = breaker;
        breaker = state;
        if (state == CircuitBreakerState.OPEN) {
            openedAtNanos = System.nanoTime();
            RecentError last = lastError();
            Log.warnf("Routing: circuit opened for deployment %s of group %s for %ds (last error: %s)", id, group,
                    openForNanos / 1_000_000_000L, last == null ? "none" : last.kind() + " " + last.message());
        } else if (state == CircuitBreakerState.CLOSED && before != CircuitBreakerState.CLOSED) {
            Log.infof("Routing: circuit closed again for deployment %s of group %s", id, group);
        }
    }

    // ---- availability -----------------------------------------------------------------------------------------

    /** The deployment's state as shown in {@code /admin/routes} and the state gauge. */
    Health health(long now, Deployment d) {
        return health(now, d, 0);
    }

    /** The deployment's state for a request that needs {@code tokens} of its tpm (0 when it has none). */
    Health health(long now, Deployment d, long tokens) {
        Health h = condition(now, d);
        if ((h == Health.HEALTHY || h == Health.HALF_OPEN) && capped(now, d, tokens)) {
            return Health.CAPPED;
        }
        return h;
    }

    /** How the deployment stands apart from its caps: usable, resting, open, out of rotation. */
    private Health condition(long now, Deployment d) {
        if (d.unusable() != null) {
            return Health.UNUSABLE;
        }
        if (disabledReason != null) {
            return Health.DISABLED;
        }
        CircuitBreakerState b = breaker;
        if (b == CircuitBreakerState.OPEN) {
            return now - openedAtNanos >= openForNanos ? Health.HALF_OPEN : Health.OPEN;
        }
        if (coolingUntilNanos - now > 0) {
            return Health.COOLING_DOWN;
        }
        return b == CircuitBreakerState.HALF_OPEN ? Health.HALF_OPEN : Health.HEALTHY;
    }

    /** Whether the deployment can take a request needing {@code tokens} now (its caps as {@link #acquire} sees them). */
    boolean available(long now, Deployment d, long tokens) {
        Health h = health(now, d, tokens);
        return h == Health.HEALTHY || h == Health.HALF_OPEN;
    }

    private boolean inFlightCapped(Deployment d) {
        return d.maxInFlight() > 0 && inFlight.get() >= d.maxInFlight();
    }

    private boolean rpmCapped(long now, Deployment d) {
        return d.rpm() > 0 && !RateWindow.fits(requestWindow.sum(now), 1, d.rpm());
    }

    private boolean tpmCapped(long now, Deployment d, long tokens) {
        return d.tpm() > 0 && !RateWindow.fits(tokenWindow.sum(now), tokens, d.tpm());
    }

    private boolean capped(long now, Deployment d, long tokens) {
        return inFlightCapped(d) || rpmCapped(now, d) || tpmCapped(now, d, tokens);
    }

    /**
     * When an unavailable deployment may take a request needing {@code tokens} again (nanoTime), or
     * {@code Long.MAX_VALUE} if that is not up to time (disabled, unusable, or capped by requests in flight).
     */
    long availableAt(long now, Deployment d, long tokens) {
        Health h = health(now, d, tokens);
        return switch (h) {
            case HEALTHY, HALF_OPEN -> now;
            case OPEN -> openedAtNanos + openForNanos;
            case COOLING_DOWN -> coolingUntilNanos;
            case CAPPED -> {
                if (inFlightCapped(d)) {
                    yield Long.MAX_VALUE;
                }
                long at = now;
                if (rpmCapped(now, d)) {
                    at = Math.max(at, requestWindow.nextRelease(now));
                }
                if (tpmCapped(now, d, tokens)) {
                    at = Math.max(at, tokenWindow.nextRelease(now));
                }
                yield at;
            }
            case DISABLED, UNUSABLE -> Long.MAX_VALUE;
        };
    }

    /** Whether the deployment is unavailable for rate reasons (its own caps, or resting after a 429). */
    boolean rateLimited(long now, Deployment d, long tokens) {
        Health h = health(now, d, tokens);
        return h == Health.CAPPED || h == Health.COOLING_DOWN;
    }

    // ---- events -----------------------------------------------------------------------------------------------

    /**
     * Takes a slot for one attempt, atomically against the deployment's caps: one more request in flight (never
     * past {@code max-in-flight}), one more request this minute (never past {@code rpm}) and the attempt's
     * estimated tokens this minute (never past {@code tpm}; see {@link RateWindow#tryTake}). A group deployment
     * that is out of rotation, open or resting after a 429 gives no slot either; a plain model name's provider
     * always does, as it is the only place its requests can go.
     *
     * @param estimatedTokens the attempt's estimated tokens (prompt and requested output), counted until it ends
     * @return the slot, to be given back exactly once; null when the deployment cannot take the attempt now
     */
    Lease acquire(long now, Deployment d, long estimatedTokens) {
        if (!d.direct()) {
            Health h = condition(now, d);
            if (h != Health.HEALTHY && h != Health.HALF_OPEN) {
                return null;
            }
        }
        int max = d.maxInFlight();
        while (true) {
            int current = inFlight.get();
            if (max > 0 && current >= max) {
                return null;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                break;
            }
        }
        long requestSecond = requestWindow.tryTake(now, 1, d.rpm());
        if (requestSecond == RateWindow.REFUSED) {
            inFlight.decrementAndGet();
            return null;
        }
        long tokenSecond = tokenWindow.tryTake(now, estimatedTokens, d.tpm());
        if (tokenSecond == RateWindow.REFUSED) {
            requestWindow.correct(requestSecond, 1, 0, now);
            inFlight.decrementAndGet();
            return null;
        }
        return new Lease(requestSecond, tokenSecond, estimatedTokens);
    }

    /**
     * One attempt's slot on the deployment: a request in flight, a request and an estimate of tokens counted in
     * this minute. Given back exactly once, however the attempt ends; later calls do nothing.
     */
    final class Lease {
        private final long requestSecond;
        private final long tokenSecond;
        private final long estimate;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(long requestSecond, long tokenSecond, long estimate) {
            this.requestSecond = requestSecond;
            this.tokenSecond = tokenSecond;
            this.estimate = estimate;
        }

        /** The attempt ended having used this many tokens (as the upstream reported): they replace the estimate. */
        void settle(long usedTokens) {
            if (open.compareAndSet(true, false)) {
                tokenWindow.correct(tokenSecond, estimate, Math.max(0, usedTokens), System.nanoTime());
                inFlight.decrementAndGet();
            }
        }

        /** The attempt ended without a usage report: its estimate stays counted. */
        void end() {
            if (open.compareAndSet(true, false)) {
                inFlight.decrementAndGet();
            }
        }

        /** The request never reached the upstream (its breaker refused it, or the client left first). */
        void cancel() {
            if (open.compareAndSet(true, false)) {
                long now = System.nanoTime();
                requestWindow.correct(requestSecond, 1, 0, now);
                tokenWindow.correct(tokenSecond, estimate, 0, now);
                inFlight.decrementAndGet();
            }
        }
    }

    void ttfb(long nanos) {
        double ms = nanos / 1e6;
        double old = ttfbEwmaMillis;
        ttfbEwmaMillis = Double.isNaN(old) ? ms : old + EWMA_ALPHA * (ms - old);
        samples.incrementAndGet();
    }

    /** Rests after a 429 until the given time (nanoTime). */
    void coolDown(long untilNanos) {
        if (untilNanos - coolingUntilNanos > 0) {
            coolingUntilNanos = untilNanos;
        }
    }

    /** Takes the deployment out of rotation (its credentials were refused) until a reload or a reset. */
    void disable(String reason) {
        if (disabledReason == null) {
            Log.warnf("Routing: deployment %s of group %s is out of rotation: %s", id, group, reason);
        }
        disabledReason = reason;
    }

    void failed(String kind, int status, String message) {
        RecentError e = new RecentError(Instant.now(), kind, status, Secrets.redact(message));
        synchronized (errors) {
            if (errors.size() == RECENT) {
                errors.removeFirst();
            }
            errors.addLast(e);
        }
    }

    /** Back to a clean slate: breaker closed, no cooldown, back in rotation, counters and errors forgotten. */
    void reset() {
        if (guard != null) {
            // a fresh breaker: SmallRye resets only named breakers, and names must be unique across reloads
            guard = newGuard();
            breaker = CircuitBreakerState.CLOSED;
        }
        coolingUntilNanos = 0;
        disabledReason = null;
        requestWindow.clear();
        tokenWindow.clear();
        synchronized (errors) {
            errors.clear();
        }
    }

    // ---- views ------------------------------------------------------------------------------------------------

    int inFlight() {
        return inFlight.get();
    }

    double ttfbEwmaMillis() {
        return ttfbEwmaMillis;
    }

    long samples() {
        return samples.get();
    }

    long requestsLastMinute(long now) {
        return requestWindow.sum(now);
    }

    long tokensLastMinute(long now) {
        return tokenWindow.sum(now);
    }

    CircuitBreakerState breaker() {
        return breaker;
    }

    String disabledReason() {
        return disabledReason;
    }

    List<RecentError> recentErrors() {
        synchronized (errors) {
            return new ArrayList<>(errors);
        }
    }

    RecentError lastError() {
        synchronized (errors) {
            return errors.peekLast();
        }
    }
}
