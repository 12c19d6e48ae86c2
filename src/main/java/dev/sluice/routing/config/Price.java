package dev.sluice.routing.config;

/**
 * What a deployment costs, in US dollars per million tokens; used by the lowest-cost strategy.
 *
 * @param input  per million prompt tokens
 * @param output per million completion tokens
 */
public record Price(double input, double output) {

    /** A comparable figure for one typical request: prompt and completion weighted alike. */
    public double blended() {
        return input + output;
    }
}
