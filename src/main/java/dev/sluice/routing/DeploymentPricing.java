package dev.sluice.routing;

import dev.sluice.money.Price;

import java.util.Optional;

/**
 * Prices of deployments for the lowest-cost strategy, for deployments whose routing file gives none. A feature
 * that keeps a price table (billing) implements this as a CDI bean; the router asks every such bean in turn.
 */
public interface DeploymentPricing {

    /**
     * @param provider   the provider name
     * @param model      the upstream model name
     * @param deployment the deployment id
     */
    Optional<Price> price(String provider, String model, String deployment);
}
