package dev.sluice.billing;

import dev.sluice.keys.VirtualKey;
import dev.sluice.money.Usage;
import dev.sluice.openai.TokenUsage;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Outcome;
import dev.sluice.pipeline.WebExtractUse;
import dev.sluice.provider.UpstreamException;

/**
 * What a finished request is charged. A prepaid key pays only for requests it was admitted for (nothing was
 * reserved for the others, so nothing may be taken); unlimited keys and the master key pay for what they used.
 * Without reported usage, a request that reached a provider is charged for what it produced: the larger of the
 * usage the provider announced before the end (completed with the tokens of the text relayed) and the prompt
 * estimate plus those tokens; one that the provider answered with an error and nothing else is not charged
 * (providers do not bill their errors). Apart from the interceptor so that these rules read in one place.
 */
final class Settlement {

    private final RequestPricing pricing;

    Settlement(RequestPricing pricing) {
        this.pricing = pricing;
    }

    Charge charge(Exchange exchange, Outcome outcome, Meter m, VirtualKey key) {
        int pages = WebExtractUse.pagesUsed(exchange);
        if (m == null) {
            return new Charge(Usage.NONE, 0, true, false, pages);
        }
        boolean prepaid = key != null && !key.record().unlimited();
        if (prepaid && !m.admitted) {
            return new Charge(Usage.NONE, 0, m.price != null, false, pages);
        }
        Usage usage;
        boolean estimated = false;
        if (exchange.usage().isPresent()) {
            usage = Usage.of(exchange.usage().get());
        } else if (producedSomething(exchange, outcome, m)) {
            usage = estimate(exchange, m);
            estimated = true;
        } else {
            usage = Usage.NONE;
        }
        long cost = m.price == null ? 0 : pricing.cost(exchange, m.price, usage);
        return new Charge(usage, cost, m.price != null, estimated, pages);
    }

    /** Whether a request without reported usage cost the provider something. */
    static boolean producedSomething(Exchange exchange, Outcome outcome, Meter m) {
        if (!m.produced.isEmpty() || exchange.context().usageSoFar().isPresent()) {
            return true;
        }
        if (exchange.context().upstreamNanos() == 0) {
            return false;
        }
        // a provider that answered an error produced nothing to pay for; a timeout or a broken connection may
        // have left it working on the prompt
        return !(outcome.status() == Outcome.Status.FAILED && outcome.failure() instanceof UpstreamException u
                && u.upstreamStatus() >= 400);
    }

    private Usage estimate(Exchange exchange, Meter m) {
        long produced = pricing.completionTokens(exchange, m.produced.text());
        Usage estimate = new Usage(m.promptEstimate, produced, 0, 0, 0);
        if (exchange.context().usageSoFar().isEmpty() || m.price == null) {
            return estimate;
        }
        TokenUsage so = exchange.context().usageSoFar().get();
        Usage reported = new Usage(so.promptTokens(), Math.max(so.completionTokens(), produced),
                Math.min(so.cachedTokens(), so.promptTokens()), Math.min(so.cacheWriteTokens(), so.promptTokens()),
                so.reasoningTokens());
        return m.price.cost(reported) >= m.price.cost(estimate) ? reported : estimate;
    }
}
