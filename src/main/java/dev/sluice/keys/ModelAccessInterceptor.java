package dev.sluice.keys;

import dev.sluice.api.ApiException;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refuses, before anything else is spent, a model that is not on the calling key's allow-list (403). */
@ApplicationScoped
public class ModelAccessInterceptor implements ExchangeInterceptor {

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        if (exchange.caller() == null) {
            return CONTINUE;
        }
        VirtualKey key = exchange.caller().details(VirtualKey.class).orElse(null);
        if (key == null || key.allowed().isEmpty()) {
            return CONTINUE;
        }
        String qualified = exchange.target() == null ? null : exchange.target().qualified();
        if (key.allows(exchange.requestedModel(), qualified)) {
            return CONTINUE;
        }
        return Uni.createFrom().failure(new ApiException(403, ApiException.PERMISSION, "model_not_allowed", "model",
                "This API key may not use the model '" + exchange.requestedModel() + "'; it may use: "
                        + String.join(", ", key.record().models())));
    }
}
