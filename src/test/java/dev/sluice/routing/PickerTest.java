package dev.sluice.routing;

import dev.sluice.routing.config.Price;
import dev.sluice.routing.config.SettingsOverrides;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strategies, the caps and the backoff, without a server. */
class PickerTest {

    static final RouteSettings SETTINGS = new RouteSettings(Strategy.WEIGHTED_RANDOM, 2, 6, 5, Duration.ofSeconds(60),
            Duration.ofMillis(200), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5), false, 10, 0.5,
            Duration.ofSeconds(30), 1, new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1)));

    static Deployment deployment(String id, double weight, int rpm, Price price) {
        return new Deployment(id, "g", null, "m", weight, 0, rpm, 0, 0, SETTINGS.timeouts(), price, null,
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
        busy.state().started(System.nanoTime());
        busy.state().started(System.nanoTime());
        idle.state().started(System.nanoTime());
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
        Deployment dear = deployment("dear", 1, 0, new Price(5, 15));
        Deployment cheap = deployment("cheap", 1, 0, new Price(0.15, 0.6));
        Deployment unknown = deployment("unknown", 1, 0, null);
        for (int i = 0; i < 100; i++) {
            assertEquals("cheap", Picker.pick(Strategy.LOWEST_COST, List.of(dear, unknown, cheap), Deployment::price).id());
        }
    }

    @Test
    void anRpmCapMakesTheDeploymentUnavailableUntilTheMinuteMovesOn() {
        Deployment d = deployment("d", 1, 2, null);
        long now = System.nanoTime();
        assertTrue(d.state().available(now, d));
        d.state().started(now);
        d.state().finished();
        d.state().started(now);
        d.state().finished();
        assertEquals(DeploymentState.Health.CAPPED, d.state().health(now, d));
        long back = d.state().availableAt(now, d);
        assertTrue(back > now && back - now <= Duration.ofSeconds(61).toNanos());
        assertTrue(d.state().available(now + Duration.ofSeconds(61).toNanos(), d));
    }

    @Test
    void aCooldownAndADisabledDeploymentAreUnavailableUntilReset() {
        Deployment d = deployment("d", 1, 0, null);
        long now = System.nanoTime();
        d.state().coolDown(now + Duration.ofSeconds(2).toNanos());
        assertEquals(DeploymentState.Health.COOLING_DOWN, d.state().health(now, d));
        assertTrue(d.state().available(now + Duration.ofSeconds(3).toNanos(), d));
        d.state().disable("credentials refused (HTTP 401)");
        assertEquals(DeploymentState.Health.DISABLED, d.state().health(now + Duration.ofHours(1).toNanos(), d));
        assertEquals(Long.MAX_VALUE, d.state().availableAt(now, d));
        d.state().reset();
        assertTrue(d.state().available(now, d));
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
