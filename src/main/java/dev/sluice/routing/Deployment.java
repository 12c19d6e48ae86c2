package dev.sluice.routing;

import dev.sluice.provider.ResolvedModel;
import dev.sluice.provider.Provider;
import dev.sluice.money.Price;

/**
 * One place a request can be sent, as built from the configuration: a group's deployment (its own provider
 * instance with its key, base URL and timeouts) or, for plain model names, a configured provider. Immutable; the
 * mutable part lives in its {@link DeploymentState}, which survives reloads that leave the deployment unchanged.
 *
 * @param id          the deployment id ({@code x-sluice-deployment}); a provider's name for plain routes
 * @param group       the group it serves; {@link #DIRECT} for plain routes
 * @param provider    the provider instance; null when unusable
 * @param model       the upstream model; null for plain routes, whose model comes with each request
 * @param weight      share of traffic under weighted-random
 * @param priority    tier, lower first
 * @param rpm         requests-per-minute cap (0: none)
 * @param tpm         tokens-per-minute cap (0: none)
 * @param maxInFlight concurrency cap (0: none)
 * @param timeouts    its timeouts
 * @param price       its configured price, or null
 * @param unusable    why it cannot be used, or null
 * @param state       its run-time state
 */
record Deployment(String id, String group, Provider provider, String model, double weight, int priority, int rpm,
                  int tpm, int maxInFlight, Timeouts timeouts, Price price, String unusable, DeploymentState state) {

    /** The group label of plain model names (provider/model, aliases, prefix rules). */
    static final String DIRECT = "direct";

    boolean direct() {
        return DIRECT.equals(group);
    }

    String providerName() {
        return provider == null ? "" : provider.name();
    }

    ResolvedModel resolved(String requested, String upstreamModel) {
        return new ResolvedModel(requested, provider, upstreamModel, id);
    }
}
