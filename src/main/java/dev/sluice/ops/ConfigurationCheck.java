package dev.sluice.ops;

import dev.sluice.provider.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the configuration was read and every provider built (an invalid configuration stops start-up, so
 * a running gateway reports UP here). Deliberately independent of whether any provider is reachable: a provider
 * outage must not take the gateway out of its Service — routing and error mapping handle that.
 */
@Readiness
@ApplicationScoped
public class ConfigurationCheck implements HealthCheck {

    @Inject
    ProviderRegistry providers;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("configuration").up()
                .withData("providers", providers.all().size())
                .build();
    }
}
