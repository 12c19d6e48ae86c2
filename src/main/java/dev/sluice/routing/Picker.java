package dev.sluice.routing;

import dev.sluice.routing.config.Strategy;
import dev.sluice.money.Price;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Picks one deployment among the available deployments of a priority tier, by the group's strategy. Ties are
 * broken at random so that equal deployments share traffic.
 */
final class Picker {

    /** Share of lowest-latency picks made at random, so that a deployment that was slow once is measured again. */
    static final double LATENCY_EXPLORATION = 0.05;

    private Picker() {
    }

    /**
     * @param pool   non-empty, one priority tier
     * @param prices the price of a deployment (configured or from a price table), null when unknown
     */
    static Deployment pick(Strategy strategy, List<Deployment> pool, Function<Deployment, Price> prices) {
        if (pool.size() == 1) {
            return pool.get(0);
        }
        return switch (strategy) {
            case WEIGHTED_RANDOM -> weighted(pool);
            case LEAST_IN_FLIGHT -> lowest(pool, d -> (double) d.state().inFlight());
            case LOWEST_LATENCY -> latency(pool);
            case LOWEST_COST -> cost(pool, prices);
        };
    }

    static Deployment weighted(List<Deployment> pool) {
        double total = 0;
        for (Deployment d : pool) {
            total += d.weight();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (total <= 0) {
            return pool.get(random.nextInt(pool.size()));
        }
        double r = random.nextDouble(total);
        for (Deployment d : pool) {
            r -= d.weight();
            if (r < 0) {
                return d;
            }
        }
        return pool.get(pool.size() - 1);
    }

    private static Deployment latency(List<Deployment> pool) {
        List<Deployment> unmeasured = new ArrayList<>();
        for (Deployment d : pool) {
            if (d.state().samples() == 0) {
                unmeasured.add(d);
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!unmeasured.isEmpty()) {
            return unmeasured.get(random.nextInt(unmeasured.size()));
        }
        if (random.nextDouble() < LATENCY_EXPLORATION) {
            return pool.get(random.nextInt(pool.size()));
        }
        return lowest(pool, d -> d.state().ttfbEwmaMillis());
    }

    private static Deployment cost(List<Deployment> pool, Function<Deployment, Price> prices) {
        List<Deployment> priced = new ArrayList<>();
        for (Deployment d : pool) {
            if (prices.apply(d) != null) {
                priced.add(d);
            }
        }
        if (priced.isEmpty()) {
            return weighted(pool);
        }
        return lowest(priced, d -> prices.apply(d).blended());
    }

    private static Deployment lowest(List<Deployment> pool, java.util.function.ToDoubleFunction<Deployment> measure) {
        double best = Double.POSITIVE_INFINITY;
        List<Deployment> ties = new ArrayList<>();
        for (Deployment d : pool) {
            double m = measure.applyAsDouble(d);
            if (m < best) {
                best = m;
                ties.clear();
                ties.add(d);
            } else if (m == best) {
                ties.add(d);
            }
        }
        if (ties.isEmpty()) {
            return weighted(pool);
        }
        return ties.size() == 1 ? ties.get(0) : weighted(ties);
    }
}
