package dev.sluice.routing.config;

import dev.sluice.money.Price;
import java.util.Map;
import java.util.Optional;

/**
 * One deployment of a model group as configured: which provider serves it, with which upstream model, key and
 * base URL, how much traffic it takes and within which limits.
 *
 * @param id          unique across the configuration; names the deployment in headers, metrics and the admin view
 * @param group       the model group it serves
 * @param provider    a provider name ({@code sluice.providers.<name>}, whose settings it inherits) or a protocol
 * @param model       the model name the upstream knows
 * @param baseUrl     overrides the provider's base URL
 * @param apiKey      overrides the provider's key; never logged
 * @param headers     added to the provider's extra headers
 * @param options     added to the provider's protocol options (Azure api-version, Bedrock region...)
 * @param weight      share of traffic under the weighted-random strategy (relative to the other deployments)
 * @param priority    tier: lower tiers take all traffic while any of their deployments is available
 * @param rpm         most requests per minute sent to it (0: no cap)
 * @param tpm         most tokens per minute it may consume, as reported by the upstream (0: no cap)
 * @param maxInFlight most concurrent requests (0: no cap)
 * @param timeouts    its own timeouts over the group's
 * @param price       its price, for the lowest-cost strategy
 * @param unusable    why it cannot be used (unknown provider, a variable that is not set...), if so
 * @param source      where it was declared, for messages
 */
public record DeploymentSpec(String id, String group, String provider, String model, Optional<String> baseUrl,
                             Optional<String> apiKey, Map<String, String> headers, Map<String, String> options,
                             double weight, int priority, int rpm, int tpm, int maxInFlight,
                             TimeoutOverrides timeouts, Optional<Price> price, Optional<String> unusable,
                             String source) {

    @Override
    public String toString() {
        return "DeploymentSpec[" + id + " " + provider + "/" + model + "]";
    }
}
