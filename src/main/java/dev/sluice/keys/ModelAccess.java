package dev.sluice.keys;

import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.Exchange;
import dev.sluice.routing.AttemptAdmission;
import dev.sluice.routing.AttemptTarget;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The key's model allow-list, applied to every upstream attempt: a target is allowed when the name the route
 * reached it by (the requested model, a fallback or group name) or its {@code provider/model} is on the list. The
 * router refuses up front a requested model or client fallback none of whose targets is allowed (403
 * {@code model_not_allowed}) and skips the targets of groups and configured fallbacks that are not.
 */
@ApplicationScoped
public class ModelAccess implements AttemptAdmission {

    @Override
    public int order() {
        return 10;
    }

    @Override
    public ApiException refusal(Exchange exchange, AttemptTarget target) {
        VirtualKey key = exchange.caller().details(VirtualKey.class).orElse(null);
        if (key == null || key.allowed().isEmpty() || key.allows(target.name(), target.qualified())) {
            return null;
        }
        return new ApiException(403, ApiException.PERMISSION, "model_not_allowed", null,
                "This API key may not use the model '" + target.name() + "'; it may use: "
                        + String.join(", ", key.record().models()));
    }
}
