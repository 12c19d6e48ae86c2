package dev.sluice.billing;

import dev.sluice.money.Price;
import dev.sluice.money.Money;
import dev.sluice.openai.ApiException;
import dev.sluice.keys.VirtualKey;
import dev.sluice.pipeline.Exchange;
import dev.sluice.routing.AttemptAdmission;
import dev.sluice.routing.AttemptTarget;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.provider.ProviderProfile.Feature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Billing's part of admitting each upstream attempt. A virtual key may only reach targets that have a price (403
 * {@code model_not_priced} up front for the model or a fallback it names; a group's unpriced deployment is
 * skipped). Right before each attempt of a prepaid key, the reservation taken for the request (the dearest target
 * it may reach, as far as the balance allowed) must cover this target's least cost, or the attempt is skipped
 * (429 {@code insufficient_quota} when nothing else can serve); the output cap is then written for this target's
 * price, in the field its provider reads. Every attempt also moves the request's price to its target, so that the
 * ledger, {@code usage.cost} and {@code x-sluice-cost-usd} price the model that served.
 */
@ApplicationScoped
public class AttemptPricing implements AttemptAdmission {

    @Inject
    PriceTable prices;

    /** After the allow-list: a model the key may not use is refused as such, priced or not. */
    @Override
    public int order() {
        return 20;
    }

    @Override
    public ApiException refusal(Exchange exchange, AttemptTarget target) {
        if (exchange.caller().details(VirtualKey.class).isEmpty() || prices.find(target.resolved()).isPresent()) {
            return null;
        }
        return new ApiException(403, ApiException.PERMISSION, "model_not_priced", null, "The model '"
                + target.qualified() + "' has no price on this gateway, so it cannot be billed; an operator can set "
                + "sluice.billing.prices.\"" + target.qualified() + "\".input and .output");
    }

    @Override
    public ApiException admit(Exchange exchange, AttemptTarget target) {
        Meter m = exchange.get(Meter.KEY);
        if (m == null || m.costs == null) {
            return null;
        }
        ResolvedModel t = target.resolved();
        Price price = prices.find(t).orElse(null);
        boolean prepaid = m.prepaid();
        if (prepaid && price != null) {
            long available = Math.max(0, m.reserveMicros - m.extractMicros);
            long least = m.costs.least(t, price);
            if (least > available) {
                return new ApiException(429, ApiException.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                        "You exceeded your current quota: this request holds $" + Money.usdText(available)
                                + " of this key's balance, and '" + target.qualified() + "' needs at least $"
                                + Money.usdText(least) + ". Add credit to the key.");
            }
            if (m.costs.chat()) {
                capOutput(exchange, m, t, price, available);
            }
        }
        m.price = price;
        m.promptEstimate = m.costs.prompt(t);
        return null;
    }

    /**
     * Makes the attempt's output fit the reservation: the largest output per choice the reserved amount covers
     * after the prompt and pages on this target (when the client set no maximum), or the client's maximum lowered
     * to the cap.
     */
    private static void capOutput(Exchange exchange, Meter m, ResolvedModel t, Price price,
                                  long available) {
        OutputCap output = m.costs.output(price);
        if (!output.changes(exchange.chat().body())) {
            return;
        }
        long perChoice = output.perChoice(price.outputCovered(m.costs.reservedPrompt(t), available,
                output.mostTokens()));
        output.apply(exchange.chat().edit(), perChoice, t.provider().profile().has(Feature.MAX_COMPLETION_TOKENS));
    }
}
