package dev.sluice.routing;

import dev.sluice.openai.ApiException;
import dev.sluice.provider.UpstreamException;
import dev.sluice.money.Price;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The routing decisions of one request: which deployment to try next, whether to wait first, when to move to a
 * fallback, and what to tell the client when nothing can serve it. Holds the routing table the request started
 * with, so a reload does not affect it. Not thread-safe: one request's attempts are sequential.
 *
 * <p>Rules, in order: a deployment not yet tried in this request is preferred (failing over costs no wait);
 * within the available deployments the lowest priority tier is used and the group's strategy picks; a
 * deployment tried before is retried only after an exponential backoff with jitter, or after its Retry-After when
 * that is no longer than {@code max-retry-after}; a group gets {@code retries} further attempts, the whole request
 * {@code max-attempts}, and nothing outlives the request deadline. 429, 5xx, timeouts and connection errors are
 * retried (a deployment that timed out only while at least half of its own timeout is left before the deadline);
 * refused credentials take the deployment out of rotation; a context-window error moves to the group's
 * context-window fallbacks; any other 4xx is the client's and is returned at once.
 *
 * <p>A decision is a choice, not a reservation: the attempt takes its slot on the deployment (in flight, rpm,
 * tpm) only when it actually starts ({@link DeploymentState#acquire}). When that slot is refused because other
 * requests took it in the meantime, {@link #refused} decides again without the deployment.
 */
final class RequestRouting {

    /** What to do next. */
    sealed interface Step permits Attempt, Wait, Fail {
    }

    /** Send the request to a deployment, after an optional pause. */
    record Attempt(Deployment deployment, Leg leg, Duration pause) implements Step {
    }

    /** Nothing is available right now but something will be shortly: wait, then decide again. */
    record Wait(Duration pause) implements Step {
    }

    /** Give up with this error. */
    record Fail(Throwable error) implements Step {
    }

    /** Whether the caller may use a deployment reached through a leg: null when it may, else why not. */
    @FunctionalInterface
    interface Admission {
        Admission ALL = (leg, d) -> null;

        ApiException refusal(Leg leg, Deployment d);
    }

    /** Share of a deployment's own timeout that must be left before the deadline to retry it after a timeout. */
    static final double USEFUL_SHARE_AFTER_TIMEOUT = 0.5;

    final RoutingTable table;
    final String requested;
    final ContextTimers timers;
    final long deadline;
    private final boolean streaming;
    private final LongSupplier tokenEstimate;
    private long tokens = -1;
    private final int maxAttempts;
    private final Function<Deployment, Price> prices;
    private final Function<String, Leg> legFinder;
    private final RoutingMetrics metrics;
    private final Admission admission;
    private List<Leg> legs;
    private int legIndex;
    private int attempts;
    private int legAttempts;
    private boolean contextWindowSwitched;
    private final Set<Deployment> tried = new HashSet<>();
    private final Set<Deployment> excluded = new HashSet<>();
    /** Deployments that timed out in this request: retried only when time is left for a useful attempt. */
    private final Set<Deployment> timedOut = new HashSet<>();
    /** Deployments that refused a slot since the last attempt started (others took it first). */
    private final Set<Deployment> refused = new HashSet<>();
    private final Map<Deployment, Integer> failures = new HashMap<>();
    private final Map<Deployment, Long> retryAt = new HashMap<>();
    private final Set<Leg> unavailableLegs = new LinkedHashSet<>();
    /** Deployments the caller may not use (or no longer afford), and why: skipped, named when nothing serves. */
    private final Map<Deployment, ApiException> refusals = new LinkedHashMap<>();
    private Throwable lastError;
    private Step pending;

    /**
     * @param streaming     whether the request is a stream (its attempts are bounded by first-byte, else by total)
     * @param tokenEstimate the request's estimated tokens, asked for only when a deployment has a tpm cap: when the
     *                      route is first decided, and again once the interceptors have run
     */
    RequestRouting(RoutingTable table, String requested, List<Leg> legs, ContextTimers timers, long deadline,
                   boolean streaming, LongSupplier tokenEstimate, Function<Deployment, Price> prices,
                   Function<String, Leg> legFinder, RoutingMetrics metrics, Admission admission) {
        this.legFinder = legFinder;
        this.admission = admission;
        this.table = table;
        this.requested = requested;
        this.legs = legs;
        this.timers = timers;
        this.deadline = deadline;
        this.streaming = streaming;
        this.tokenEstimate = tokenEstimate;
        this.maxAttempts = legs.get(0).settings(table).maxAttempts();
        this.prices = prices;
        this.metrics = metrics;
    }

    int attempts() {
        return attempts;
    }

    /** The first step, decided at resolution so that interceptors see the first target. */
    Step first(long now) {
        if (pending == null) {
            pending = decide(now);
        }
        return pending;
    }

    /**
     * Takes the step decided at resolution (once), or decides now. The stored first attempt is decided again when
     * its deployment stopped being available while the interceptors ran (a 429 cooldown, an open breaker, a cap
     * reached by other requests).
     */
    Step next(long now) {
        Step s = pending;
        pending = null;
        if (s != null) {
            // the interceptors may have changed the prompt (retrieved pages): estimate it again when needed
            tokens = -1;
        }
        if (s instanceof Attempt a && !a.leg().isDirect()
                && !a.deployment().state().available(now, a.deployment(), tokensFor(a.deployment()))) {
            return decide(now);
        }
        return s != null ? s : decide(now);
    }

    /** The tokens an attempt on this deployment counts against its tpm cap (0 when it has none). */
    long tokensFor(Deployment d) {
        if (d.tpm() <= 0) {
            return 0;
        }
        if (tokens < 0) {
            tokens = Math.max(0, tokenEstimate.getAsLong());
        }
        return tokens;
    }

    /** The attempt could not take a slot on its deployment (others took it first): decides again without it. */
    Step refused(Attempt a, long now) {
        refused.add(a.deployment());
        return decide(now);
    }

    Duration remaining(long now) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - now));
    }

    /** An attempt is about to start (its slot is taken). */
    void started() {
        attempts++;
        legAttempts++;
        refused.clear();
    }

    /** A deployment the leg would most likely use, to name a target when no attempt can be made yet. */
    Deployment likely() {
        for (Leg leg : legs) {
            for (Deployment d : leg.deployments()) {
                if (d.unusable() == null && admission.refusal(leg, d) == null) {
                    return d;
                }
            }
        }
        return null;
    }

    /**
     * Every deployment this request may still reach and the caller may use, with the leg that reaches it: its
     * legs, and the context-window fallbacks of its groups. Billing reserves for the dearest of them.
     */
    List<Map.Entry<Leg, Deployment>> reachable() {
        List<Leg> all = new ArrayList<>(legs);
        for (Leg leg : legs) {
            if (leg.group() != null) {
                for (String name : leg.group().contextWindowFallbacks()) {
                    Leg l = legFinder.apply(name);
                    if (l != null) {
                        all.add(l);
                    }
                }
            }
        }
        List<Map.Entry<Leg, Deployment>> out = new ArrayList<>();
        Set<Deployment> seen = new HashSet<>();
        for (Leg leg : all) {
            for (Deployment d : leg.deployments()) {
                if (d.unusable() == null && (leg.isDirect() || seen.add(d)) && admission.refusal(leg, d) == null) {
                    out.add(Map.entry(leg, d));
                }
            }
        }
        return out;
    }

    /** An attempt admission refused right before it was sent (its reservation does not cover it): skip it. */
    Step refusedAtAdmission(Attempt a, ApiException refusal, long now) {
        refuse(a.deployment(), refusal);
        return decide(now);
    }

    private void refuse(Deployment d, ApiException refusal) {
        excluded.add(d);
        refusals.put(d, refusal);
    }

    Leg firstLeg() {
        return legs.get(0);
    }

    Step decide(long now) {
        while (true) {
            if (legIndex >= legs.size() || attempts >= maxAttempts) {
                return new Fail(finalError(now));
            }
            if (deadline - now <= 0) {
                return new Fail(finalError(now));
            }
            Leg leg = legs.get(legIndex);
            RouteSettings s = leg.settings(table);
            if (legAttempts > s.retries()) {
                nextLeg("exhausted");
                continue;
            }
            List<Deployment> candidates = new ArrayList<>();
            for (Deployment d : leg.deployments()) {
                if (d.unusable() == null && !excluded.contains(d)) {
                    ApiException refusal = admission.refusal(leg, d);
                    if (refusal != null) {
                        refuse(d, refusal);
                    } else {
                        candidates.add(d);
                    }
                }
            }
            if (candidates.isEmpty()) {
                if (legAttempts == 0) {
                    unavailableLegs.add(leg);
                }
                nextLeg(legAttempts == 0 ? "unavailable" : "exhausted");
                continue;
            }
            List<Deployment> available = new ArrayList<>();
            for (Deployment d : candidates) {
                if (!refused.contains(d) && (leg.isDirect() || d.state().available(now, d, tokensFor(d)))) {
                    available.add(d);
                }
            }
            if (available.isEmpty()) {
                long at = Long.MAX_VALUE;
                for (Deployment d : candidates) {
                    at = Math.min(at, leg.isDirect() ? now : d.state().availableAt(now, d, tokensFor(d)));
                }
                long wait = at == Long.MAX_VALUE ? Long.MAX_VALUE : at - now;
                if (wait <= s.maxRetryAfter().toNanos() && now + wait < deadline) {
                    refused.clear();
                    return new Wait(Duration.ofNanos(Math.max(1_000_000, wait)));
                }
                unavailableLegs.add(leg);
                nextLeg("unavailable");
                continue;
            }
            List<Deployment> pool = new ArrayList<>();
            for (Deployment d : available) {
                if (!tried.contains(d)) {
                    pool.add(d);
                }
            }
            if (pool.isEmpty()) {
                pool = available;
            }
            int tier = Integer.MAX_VALUE;
            for (Deployment d : pool) {
                tier = Math.min(tier, d.priority());
            }
            List<Deployment> tierPool = new ArrayList<>();
            for (Deployment d : pool) {
                if (d.priority() == tier) {
                    tierPool.add(d);
                }
            }
            Deployment d = Picker.pick(s.strategy(), tierPool, prices);
            Duration pause = Duration.ZERO;
            if (tried.contains(d)) {
                Long at = retryAt.get(d);
                pause = at != null ? Duration.ofNanos(Math.max(0, at - now)) : backoff(s, failures.getOrDefault(d, 1));
            }
            if (now + pause.toNanos() >= deadline) {
                return new Fail(finalError(now));
            }
            if (timedOut.contains(d) && deadline - now - pause.toNanos() < usefulTime(d)) {
                // it timed out before, and what is left could not even hold half of its own timeout
                excluded.add(d);
                continue;
            }
            return new Attempt(d, leg, pause);
        }
    }

    /** The least time worth giving an attempt on a deployment that timed out already in this request. */
    private long usefulTime(Deployment d) {
        Duration own = streaming ? d.timeouts().firstByte() : d.timeouts().total();
        return (long) (own.toNanos() * USEFUL_SHARE_AFTER_TIMEOUT);
    }

    /** Exponential backoff with jitter: half the doubled delay plus a random part of the other half. */
    static Duration backoff(RouteSettings s, int failuresSoFar) {
        long base = s.backoffInitial().toNanos();
        long cap = s.backoffMax().toNanos();
        long d = base;
        for (int i = 1; i < failuresSoFar && d < cap; i++) {
            d *= 2;
        }
        d = Math.min(d, cap);
        long half = d / 2;
        return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    private void nextLeg(String reason) {
        Leg from = legs.get(legIndex);
        legIndex++;
        legAttempts = 0;
        if (legIndex < legs.size()) {
            metrics.fallback(from.label(), legs.get(legIndex).label(), reason);
        }
    }

    /** An attempt failed: decides what comes next. */
    Step failed(Attempt a, Throwable f, long now) {
        Deployment d = a.deployment();
        if (f instanceof CircuitBreakerOpenException) {
            // the breaker opened between the choice and the call: not an upstream attempt
            attempts--;
            legAttempts--;
            excluded.add(d);
            return decide(now);
        }
        if (!(f instanceof UpstreamException u)) {
            return new Fail(f);
        }
        lastError = u;
        RouteSettings s = a.leg().settings(table);
        switch (u.kind()) {
            case CLIENT_ERROR -> {
                return new Fail(u);
            }
            case CONTEXT_WINDOW -> {
                return contextWindow(a, u, now);
            }
            case AUTHENTICATION -> {
                if (a.leg().isDirect()) {
                    return new Fail(u);
                }
                d.state().disable("credentials refused (HTTP " + u.upstreamStatus() + ")");
                excluded.add(d);
            }
            case RATE_LIMITED -> {
                Duration ra = u.retryAfter().orElse(null);
                d.state().coolDown(now + (ra != null ? ra : s.rateLimitCooldown()).toNanos());
                if (ra != null && ra.compareTo(s.maxRetryAfter()) > 0) {
                    excluded.add(d);
                } else {
                    tried.add(d);
                    if (ra != null) {
                        retryAt.put(d, now + ra.toNanos());
                    }
                }
            }
            case TIMEOUT -> {
                tried.add(d);
                timedOut.add(d);
            }
            case SERVER_ERROR, CONNECTION -> tried.add(d);
        }
        failures.merge(d, 1, Integer::sum);
        return decide(now);
    }

    private Step contextWindow(Attempt a, UpstreamException u, long now) {
        List<String> names = a.leg().group() == null ? List.of() : a.leg().group().contextWindowFallbacks();
        if (names.isEmpty() || contextWindowSwitched) {
            return new Fail(u);
        }
        List<Leg> next = new ArrayList<>();
        for (String name : names) {
            Leg l = legFinder.apply(name);
            if (l != null && !l.key().equals(a.leg().key())) {
                next.add(l);
            }
        }
        if (next.isEmpty()) {
            return new Fail(u);
        }
        metrics.fallback(a.leg().label(), next.get(0).label(), "context_window");
        contextWindowSwitched = true;
        legs = next;
        legIndex = 0;
        legAttempts = 0;
        return decide(now);
    }

    /** The error the client gets when the request cannot be served. */
    Throwable finalError(long now) {
        for (Map.Entry<Deployment, ApiException> r : refusals.entrySet()) {
            if (r.getValue().status() == 429) {
                // a target the balance could have served had it been larger: the client's fix is a top-up
                String also = lastError == null ? "" : "; the other targets failed: " + lastError.getMessage();
                return new ApiException(429, r.getValue().type(), r.getValue().code(), null,
                        r.getValue().getMessage() + " (deployment " + r.getKey().id() + ")" + also);
            }
        }
        if (lastError != null && !refusals.isEmpty()) {
            // what failed upstream and what the caller was not admitted to: the client sees why nothing is left
            StringBuilder skipped = new StringBuilder();
            refusals.forEach((d, r) -> skipped.append(skipped.length() > 0 ? ", " : "").append(d.id())
                    .append(" (").append(r.code()).append(" for this key)"));
            return new ApiException(503, ApiException.UPSTREAM_ERROR, "no_deployment_available", null,
                    "No deployment of '" + requested + "' can take this request now: the last attempt failed ("
                            + lastError.getMessage() + "); skipped: " + skipped);
        }
        if (lastError != null) {
            return lastError;
        }
        if (deadline - now <= 0) {
            return new ApiException(504, ApiException.SERVER_ERROR, "upstream_timeout", null, "No deployment of '"
                    + requested + "' answered within the request deadline of "
                    + RoutingDispatcher.seconds(legs.get(0).settings(table).requestTimeout()));
        }
        return unavailable(now);
    }

    private ApiException unavailable(long now) {
        StringBuilder why = new StringBuilder();
        boolean allRate = true;
        long soonest = Long.MAX_VALUE;
        Set<Leg> described = unavailableLegs.isEmpty() ? new LinkedHashSet<>(legs) : unavailableLegs;
        for (Leg leg : described) {
            if (why.length() > 0) {
                why.append("; ");
            }
            why.append(leg.isDirect() ? "'" + leg.label() + "'" : "group '" + leg.name() + "'").append(": ");
            List<String> parts = new ArrayList<>();
            for (Deployment d : leg.deployments()) {
                DeploymentState.Health h = d.state().health(now, d, tokensFor(d));
                String part = d.id() + " " + h.label;
                if (d.unusable() != null) {
                    part += " (" + d.unusable() + ")";
                } else if (h == DeploymentState.Health.DISABLED) {
                    part += " (" + d.state().disabledReason() + ")";
                } else if (refusals.containsKey(d)) {
                    part += " (" + refusals.get(d).code() + " for this key)";
                } else if (excluded.contains(d)) {
                    part += " (already failed for this request)";
                }
                long at = d.state().availableAt(now, d, tokensFor(d));
                if (at != Long.MAX_VALUE && at - now > 0) {
                    part += ", back in " + RoutingDispatcher.seconds(Duration.ofNanos(at - now));
                    soonest = Math.min(soonest, at);
                }
                allRate &= d.unusable() == null && d.state().rateLimited(now, d, tokensFor(d));
                parts.add(part);
            }
            why.append(parts.isEmpty() ? "no deployments" : String.join(", ", parts));
        }
        ApiException e = allRate
                ? new ApiException(429, ApiException.RATE_LIMIT, "rate_limit_exceeded", null, "Every deployment of '"
                + requested + "' is at its rate limit: " + why)
                : new ApiException(503, ApiException.UPSTREAM_ERROR, "no_deployment_available", null,
                "No deployment of '" + requested + "' can take this request now: " + why);
        if (soonest != Long.MAX_VALUE) {
            e.withHeader("Retry-After", Long.toString(Math.max(1, (soonest - now + 999_999_999L) / 1_000_000_000L)));
        }
        return e;
    }
}
