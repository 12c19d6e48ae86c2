package dev.sluice.api.messages;

import dev.sluice.money.Price;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.billing.PriceTable;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.Stage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Lowers a Messages request's {@code max_tokens} to what the served model can write (the price table's
 * {@code max_output}). Anthropic's clients ask for a lot (Claude Code up to 128,000 tokens), which most models refuse
 * outright; an answer is never that long anyway, so the request goes ahead with the model's own limit. Runs after
 * the allow-list and before retrieval and metering, so that the reservation is made for the lowered figure; the
 * pass-through body carries the lowered value too.
 */
@ApplicationScoped
public class MessagesOutputLimit implements ExchangeInterceptor {

    @Inject
    PriceTable prices;

    @Override
    public Stage stage() {
        return Stage.OUTPUT_LIMIT;
    }

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (!(exchange.protocol() instanceof MessagesProtocol) || exchange.chat() == null
                || exchange.target() == null) {
            return CONTINUE;
        }
        JsonNode max = exchange.chat().body().get("max_tokens");
        long limit = prices.find(exchange.target()).map(p -> (long) p.maxOutputTokens()).orElse(0L);
        if (max != null && max.canConvertToLong() && limit > 0 && max.asLong() > limit) {
            exchange.chat().edit().put("max_tokens", limit);
        }
        return CONTINUE;
    }
}
