package dev.sluice.billing;

import dev.sluice.money.Price;
import dev.sluice.routing.DeploymentPricing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Lets lowest-cost routing rank deployments whose routing file gives no price by what billing charges for them:
 * the deployment's own price setting, else the price table (operator prices, then the catalog). The configured
 * default price is left out: it would make every unknown deployment look alike rather than unknown.
 */
@ApplicationScoped
public class TableDeploymentPricing implements DeploymentPricing {

    @Inject
    PriceTable prices;

    @Override
    public Optional<Price> price(String provider, String model, String deployment) {
        Price own = prices.deploymentOverrides().get(deployment);
        return own != null ? Optional.of(own) : prices.known(provider, model);
    }
}
