package dev.sluice.routing;

import dev.sluice.routing.config.Strategy;
import dev.sluice.money.Price;
import dev.sluice.routing.config.SettingsOverrides;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strategies, the caps (and their slots under concurrency) and the backoff, without a server. */
class PickerTest {

    static final RouteSettings SETTINGS = new RouteSettings(Strategy.WEIGHTED_RANDOM, 2, 6, 5, Duration.ofSeconds(60),
            Duration.ofMillis(200), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5), false, 10, 0.5,
            Duration.ofSeconds(30), 1, new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1)));

    static Deployment deployment(String id, double weight, int rpm, Price price) {
        return capped(id, weight, rpm, 0, 0, price);
    }

    static Deployment capped(String id, double weight, int rpm, int tpm, int maxInFlight, Price price) {
        return new Deployment(id, "g", null, "m", weight, 0, rpm, tpm, maxInFlight, SETTINGS.timeouts(), price, null,
                new DeploymentState("g", id, "", SETTINGS, false));
    }

    @Test
    void weightedRandomFollowsTheWeights() {
        Deployment heavy = deployment("heavy", 9, 0, null);
        Deployment light = deployment("light", 1, 0, null);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            picks.merge(Picker.pick(Strategy.WEIGHTED_RANDOM, List.of(heavy, light), d -> null).id(), 1, Integer::sum);
        }
        assertTrue(picks.get("heavy") > 8_500 && picks.get("heavy") < 9_500, picks.toString());
    }

    @Test
    void zeroWeightsShareEvenly() {
        Deployment a = deployment("a", 0, 0, null);
        Deployment b = deployment("b", 0, 0, null);
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            picks.merge(Picker.pick(Strategy.WEIGHTED_RANDOM, List.of(a, b), d -> null).id(), 1, Integer::sum);
        }
        assertTrue(picks.get("a") > 400 && picks.get("b") > 400, picks.toString());
    }

    @Test
    void leastInFlightPicksTheLeastBusy() {
        Deployment busy = deployment("busy", 1, 0, null);
        Deployment idle = deployment("idle", 1, 0, null);
        long now = System.nanoTime();
        busy.state().acquire(now, busy, 0);
        busy.state().acquire(now, busy, 0);
        idle.state().acquire(now, idle, 0);
        for (int i = 0; i < 100; i++) {
            assertEquals("idle", Picker.pick(Strategy.LEAST_IN_FLIGHT, List.of(busy, idle), d -> null).id());
        }
    }

    @Test
    void lowestLatencyMeasuresEveryDeploymentThenPrefersTheFastest() {
        Deployment slow = deployment("slow", 1, 0, null);
        Deployment fast = deployment("fast", 1, 0, null);
        slow.state().ttfb(Duration.ofMillis(900).toNanos());
        assertEquals("fast", Picker.pick(Strategy.LOWEST_LATENCY, List.of(slow, fast), d -> null).id(),
                "an unmeasured deployment is tried first");
        fast.state().ttfb(Duration.ofMillis(100).toNanos());
        int fastPicks = 0;
        for (int i = 0; i < 1_000; i++) {
            if (Picker.pick(Strategy.LOWEST_LATENCY, List.of(slow, fast), d -> null) == fast) {
                fastPicks++;
            }
        }
        assertTrue(fastPicks > 950, "the slower one is only explored now and then: " + fastPicks);
    }

    @Test
    void theMovingAverageFollowsRecentSamples() {
        Deployment d = deployment("d", 1, 0, null);
        d.state().ttfb(Duration.ofMillis(1000).toNanos());
        for (int i = 0; i < 20; i++) {
            d.state().ttfb(Duration.ofMillis(100).toNanos());
        }
        assertTrue(d.state().ttfbEwmaMillis() < 110, String.valueOf(d.state().ttfbEwmaMillis()));
    }

    @Test
    void lowestCostPicksTheCheapestAndPutsUnpricedDeploymentsLast() {
        Deployment dear = deployment("dear", 1, 0, Price.perMillionUsd(5, 15, "test"));
        Deployment cheap = deployment("cheap", 1, 0, Price.perMillionUsd(0.15, 0.6, "test"));
        Deployment unknown = deployment("unknown", 1, 0, null);
        for (int i = 0; i < 100; i++) {
            assertEquals("cheap", Picker.pick(Strategy.LOWEST_COST, List.of(dear, unknown, cheap), Deployment::price).id());
        }
    }

    @Test
    void anRpmCapMakesTheDeploymentUnavailableUntilTheMinuteMovesOn() {
        Deployment d = deployment("d", 1, 2, null);
        long now = System.nanoTime();
        assertTrue(d.state().available(now, d, 0));
        d.state().acquire(now, d, 0).end();
        d.state().acquire(now, d, 0).end();
        assertEquals(DeploymentState.Health.CAPPED, d.state().health(now, d));
        assertNull(d.state().acquire(now, d, 0), "a third request this minute gets no slot");
        long back = d.state().availableAt(now, d, 0);
        assertTrue(back > now && back - now <= Duration.ofSeconds(61).toNanos());
        assertTrue(d.state().available(now + Duration.ofSeconds(61).toNanos(), d, 0));
    }

    @Test
    void aCooldownAndADisabledDeploymentAreUnavailableUntilReset() {
        Deployment d = deployment("d", 1, 0, null);
        long now = System.nanoTime();
        d.state().coolDown(now + Duration.ofSeconds(2).toNanos());
        assertEquals(DeploymentState.Health.COOLING_DOWN, d.state().health(now, d));
        assertNull(d.state().acquire(now, d, 0), "a resting deployment gives no slot");
        assertTrue(d.state().available(now + Duration.ofSeconds(3).toNanos(), d, 0));
        d.state().disable("credentials refused (HTTP 401)");
        assertEquals(DeploymentState.Health.DISABLED, d.state().health(now + Duration.ofHours(1).toNanos(), d));
        assertEquals(Long.MAX_VALUE, d.state().availableAt(now, d, 0));
        assertNull(d.state().acquire(now + Duration.ofSeconds(3).toNanos(), d, 0));
        d.state().reset();
        assertTrue(d.state().available(now, d, 0));
        assertNotNull(d.state().acquire(now, d, 0));
    }

    // ---- slots under concurrency ------------------------------------------------------------------------------

    /** Runs {@code task} on {@code threads} threads released at the same moment. */
    static void race(int threads, Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                all.add(pool.submit(() -> {
                    start.await();
                    task.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentAttemptsNeverHoldMoreSlotsThanMaxInFlight() throws Exception {
        Deployment d = capped("d", 1, 0, 0, 3, null);
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        race(8, () -> {
            for (int i = 0; i < 2_000; i++) {
                DeploymentState.Lease lease = d.state().acquire(System.nanoTime(), d, 0);
                if (lease != null) {
                    most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                    served.incrementAndGet();
                    holding.decrementAndGet();
                    lease.end();
                }
            }
        });
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
        assertTrue(served.get() > 0);
        assertEquals(0, d.state().inFlight(), "every slot was given back");
    }

    @Test
    void concurrentAttemptsNeverExceedTheRpmCap() throws Exception {
        Deployment d = capped("d", 1, 25, 0, 0, null);
        AtomicInteger served = new AtomicInteger();
        race(8, () -> {
            for (int i = 0; i < 50; i++) {
                DeploymentState.Lease lease = d.state().acquire(System.nanoTime(), d, 0);
                if (lease != null) {
                    served.incrementAndGet();
                    lease.end();
                }
            }
        });
        assertEquals(25, served.get(), "exactly the cap, out of 400 tries");
        assertEquals(25, d.state().requestsLastMinute(System.nanoTime()));
    }

    @Test
    void tokensInFlightCountAgainstTpmAndAreCorrectedWhenTheAttemptEnds() {
        Deployment d = capped("d", 1, 0, 1000, 0, null);
        long now = System.nanoTime();
        DeploymentState.Lease first = d.state().acquire(now, d, 700);
        assertNotNull(first);
        assertEquals(700, d.state().tokensLastMinute(now), "counted while in flight");
        assertFalse(d.state().available(now, d, 700), "700 more would pass the cap");
        assertNull(d.state().acquire(now, d, 700));
        assertNotNull(d.state().acquire(now, d, 300), "300 more fit exactly");
        first.settle(11);
        assertEquals(311, d.state().tokensLastMinute(System.nanoTime()), "the estimate is replaced by the usage");
    }

    @Test
    void aRequestLargerThanTheTpmCapStillGoesWhenTheMinuteIsEmpty() {
        Deployment d = capped("d", 1, 0, 100, 0, null);
        long now = System.nanoTime();
        DeploymentState.Lease big = d.state().acquire(now, d, 500);
        assertNotNull(big, "nothing else counted this minute");
        assertNull(d.state().acquire(now, d, 1), "then the minute is full");
        big.end();
        assertEquals(500, d.state().tokensLastMinute(now), "no usage reported: the estimate stays");
    }

    @Test
    void aCancelledSlotGivesEverythingBackAndEndsOnlyOnce() {
        Deployment d = capped("d", 1, 5, 1000, 1, null);
        long now = System.nanoTime();
        DeploymentState.Lease lease = d.state().acquire(now, d, 400);
        assertEquals(1, d.state().inFlight());
        lease.cancel();
        lease.end();
        lease.settle(999);
        assertEquals(0, d.state().inFlight());
        assertEquals(0, d.state().requestsLastMinute(now));
        assertEquals(0, d.state().tokensLastMinute(now));
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToItsCap() {
        for (int i = 0; i < 200; i++) {
            long first = RequestRouting.backoff(SETTINGS, 1).toMillis();
            long third = RequestRouting.backoff(SETTINGS, 3).toMillis();
            long tenth = RequestRouting.backoff(SETTINGS, 10).toMillis();
            assertTrue(first >= 100 && first <= 200, "first: " + first);
            assertTrue(third >= 400 && third <= 800, "third: " + third);
            assertTrue(tenth >= 2000 && tenth <= 4000, "capped: " + tenth);
        }
    }

    @Test
    void groupSettingsOverrideTheFilesWhichOverrideTheDefaults() {
        SettingsOverrides file = new SettingsOverrides(Strategy.LEAST_IN_FLIGHT, 5, null, null, null, null, null, null,
                null, null, null, null, null, null, new dev.sluice.routing.config.TimeoutOverrides(null,
                Duration.ofSeconds(9), null, null));
        SettingsOverrides group = new SettingsOverrides(null, 1, null, null, null, null, null, null, null, null, null,
                null, null, null, dev.sluice.routing.config.TimeoutOverrides.NONE);
        RouteSettings s = SETTINGS.apply(group.over(file));
        assertEquals(Strategy.LEAST_IN_FLIGHT, s.strategy());
        assertEquals(1, s.retries());
        assertEquals(Duration.ofSeconds(9), s.timeouts().firstByte());
        assertEquals(Duration.ofSeconds(4), s.backoffMax());
    }
}
