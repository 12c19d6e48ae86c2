package dev.sluice.routing.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How a deployment is picked among the available ones of a priority tier. The picking itself is done by
 * {@link Picker}; this is the configured name.
 */
public enum Strategy {
    /** Random, in proportion to each deployment's weight (the default). */
    WEIGHTED_RANDOM,
    /** The deployment with the fewest requests in flight. */
    LEAST_IN_FLIGHT,
    /** The deployment with the lowest moving average of time to first byte. */
    LOWEST_LATENCY,
    /** The cheapest deployment, by its configured (or priced) cost per token. */
    LOWEST_COST;

    /** The name in routing files: the constant's, in lower case with dashes ({@code weighted-random}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Strategy> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Strategy s : values()) {
            if (s.configName().equals(n)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static String names() {
        StringBuilder out = new StringBuilder();
        for (Strategy s : values()) {
            out.append(out.length() == 0 ? "" : ", ").append(s.configName());
        }
        return out.toString();
    }
}
