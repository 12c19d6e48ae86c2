package dev.sluice.routing;

import dev.sluice.api.Secrets;
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
    private volatile Instant disabledAt;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile double ttfbEwmaMillis = Double.NaN;
    private final AtomicLong samples = new AtomicLong();
    private final RateWindow requests = new RateWindow();
    private final RateWindow tokens = new RateWindow();
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

    Health health(long now, Deployment d) {
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
        if (capped(now, d)) {
            return Health.CAPPED;
        }
        return b == CircuitBreakerState.HALF_OPEN ? Health.HALF_OPEN : Health.HEALTHY;
    }

    boolean available(long now, Deployment d) {
        Health h = health(now, d);
        return h == Health.HEALTHY || h == Health.HALF_OPEN;
    }

    private boolean capped(long now, Deployment d) {
        return (d.maxInFlight() > 0 && inFlight.get() >= d.maxInFlight())
                || (d.rpm() > 0 && requests.sum(now) >= d.rpm())
                || (d.tpm() > 0 && tokens.sum(now) >= d.tpm());
    }

    /**
     * When an unavailable deployment may take traffic again (nanoTime), or {@code Long.MAX_VALUE} if that is not
     * up to time (disabled, unusable, or capped by requests in flight).
     */
    long availableAt(long now, Deployment d) {
        Health h = health(now, d);
        return switch (h) {
            case HEALTHY, HALF_OPEN -> now;
            case OPEN -> openedAtNanos + openForNanos;
            case COOLING_DOWN -> coolingUntilNanos;
            case CAPPED -> {
                if (d.maxInFlight() > 0 && inFlight.get() >= d.maxInFlight()) {
                    yield Long.MAX_VALUE;
                }
                long at = now;
                if (d.rpm() > 0 && requests.sum(now) >= d.rpm()) {
                    at = Math.max(at, requests.nextRelease(now));
                }
                if (d.tpm() > 0 && tokens.sum(now) >= d.tpm()) {
                    at = Math.max(at, tokens.nextRelease(now));
                }
                yield at;
            }
            case DISABLED, UNUSABLE -> Long.MAX_VALUE;
        };
    }

    /** Whether the deployment is unavailable for rate reasons (its own caps, or resting after a 429). */
    boolean rateLimited(long now, Deployment d) {
        Health h = health(now, d);
        return h == Health.CAPPED || h == Health.COOLING_DOWN;
    }

    // ---- events -----------------------------------------------------------------------------------------------

    /** An attempt starts: one more in flight, one more request this minute. */
    void started(long now) {
        inFlight.incrementAndGet();
        requests.add(now, 1);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    void tokensUsed(long now, long count) {
        if (count > 0) {
            tokens.add(now, count);
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
        disabledAt = Instant.now();
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
        disabledAt = null;
        requests.clear();
        tokens.clear();
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
        return requests.sum(now);
    }

    long tokensLastMinute(long now) {
        return tokens.sum(now);
    }

    CircuitBreakerState breaker() {
        return breaker;
    }

    long openedAtNanos() {
        return openedAtNanos;
    }

    long openForNanos() {
        return openForNanos;
    }

    long coolingUntilNanos() {
        return coolingUntilNanos;
    }

    String disabledReason() {
        return disabledReason;
    }

    Instant disabledAt() {
        return disabledAt;
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
