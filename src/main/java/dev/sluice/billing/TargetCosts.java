package dev.sluice.billing;

import dev.sluice.money.Price;
import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.tokens.PromptEstimate;
import dev.sluice.tokens.TokenEstimator;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What one request would cost at most on each target it may reach: the model it asked for, a group's other
 * deployments, its fallbacks. A request is reserved for the dearest of them and each attempt is checked against
 * that reservation, so that a fallback to a dearer model can never spend more than was put aside.
 *
 * <p>The prompt is counted with each target's tokenizer (kept per model: a route tries few) plus the context
 * retrieval may still inject; content whose size Sluice cannot know (a remote video, a document by URL, a part
 * type it does not know) counts at its kind's ceiling ({@code sluice.billing.reserve.remote-content-tokens.*}), or
 * is refused with 400 naming the part when that ceiling is 0. The output is what {@link OutputCap} allows for the
 * target's price, from what the client asked for (read before Sluice edits the request).
 */
final class TargetCosts {

    private final Exchange exchange;
    private final TokenEstimator estimator;
    private final BillingConfig.Reserve reserve;
    private final boolean chat;
    private final Integer clientMax;
    private final int choices;
    private final long addedPromptTokens;
    private final Map<String, PromptEstimate> estimates = new HashMap<>();

    /**
     * @param addedPromptTokens tokens an interceptor may still add to the prompt after admission (retrieval's
     *                          budget)
     */
    TargetCosts(Exchange exchange, TokenEstimator estimator, BillingConfig.Reserve reserve, long addedPromptTokens) {
        this.exchange = exchange;
        this.estimator = estimator;
        this.reserve = reserve;
        this.chat = exchange.operation() == Exchange.Operation.CHAT;
        this.clientMax = chat ? OutputCap.clientMax(exchange.chat().body()) : null;
        this.choices = chat ? OutputCap.choices(exchange.chat().body()) : 1;
        this.addedPromptTokens = addedPromptTokens;
    }

    boolean chat() {
        return chat;
    }

    /** The prompt as Sluice counts it for the target (for a settlement without reported usage). */
    long prompt(ResolvedModel target) {
        return estimate(target).tokens() + addedPromptTokens;
    }

    /** The prompt the reservation must cover on the target: unbounded content at its kind's ceiling. */
    long reservedPrompt(ResolvedModel target) {
        PromptEstimate e = estimate(target);
        long tokens = e.tokens() + addedPromptTokens;
        for (PromptEstimate.Unbounded part : e.unbounded()) {
            long ceiling = ceiling(part.kind());
            if (ceiling <= 0) {
                throw ApiException.invalidRequest("Invalid '" + part.param() + "': its size cannot be known before "
                        + "the provider reads it (" + part.kind().name().toLowerCase(Locale.ROOT)
                        + " content), and this gateway does not reserve for such content on prepaid keys; send it "
                        + "inline or ask an operator to set sluice.billing.reserve.remote-content-tokens."
                        + part.kind().name().toLowerCase(Locale.ROOT), part.param(), "content_not_bounded");
            }
            tokens += Math.max(0, ceiling - part.counted());
        }
        return tokens;
    }

    /** The output cap for a target's price. */
    OutputCap output(Price price) {
        return OutputCap.of(clientMax, choices, price, reserve);
    }

    /** The most the request may cost on the target (prompt, and its largest output). */
    long most(ResolvedModel target, Price price) {
        return price.worstCase(reservedPrompt(target), chat ? output(price).mostTokens() : 0);
    }

    /** The least reservation the request can go ahead with on the target. */
    long least(ResolvedModel target, Price price) {
        return price.worstCase(reservedPrompt(target), chat ? output(price).leastTokens() : 0);
    }

    /** The dearest worst case and the cheapest least cost over the targets that have a price. */
    Bounds bounds(List<ResolvedModel> targets, Function<ResolvedModel, Price> prices) {
        long most = 0;
        long least = Long.MAX_VALUE;
        for (ResolvedModel t : targets) {
            Price p = prices.apply(t);
            if (p != null) {
                most = Math.max(most, most(t, p));
                least = Math.min(least, least(t, p));
            }
        }
        return new Bounds(most, least == Long.MAX_VALUE ? most : Math.min(least, most));
    }

    record Bounds(long most, long least) {
    }

    private PromptEstimate estimate(ResolvedModel target) {
        String key = target == null ? "" : target.provider().kind() + "\n" + target.model();
        return estimates.computeIfAbsent(key, k -> estimator.estimate(exchange, target));
    }

    private long ceiling(PromptEstimate.Kind kind) {
        BillingConfig.RemoteContent c = reserve.remoteContentTokens();
        return switch (kind) {
            case VIDEO -> c.video();
            case AUDIO -> c.audio();
            case DOCUMENT -> c.document();
            case OTHER -> c.other();
        };
    }
}
