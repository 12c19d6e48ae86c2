package dev.sluice.routing;

import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.Exchange;

/**
 * A decision every upstream attempt needs before it is sent: may this caller use this target, and can it pay for
 * it. The router asks every such CDI bean (in {@link #order()}) for each deployment it considers, so that retries,
 * group failovers, context-window fallbacks and the client's {@code fallbacks} are admitted exactly like the
 * first attempt (features such as the key allow-list and billing implement it; the router knows neither).
 *
 * <p>A refusal is an {@link ApiException} without a {@code param}: the router names the request field when it
 * refuses up front (the requested {@code model}, a client's {@code fallbacks[i]}) and otherwise skips the target,
 * naming it in the error when nothing else can serve. Everything here runs on the event loop and must not block.
 */
public interface AttemptAdmission {

    /** Lower runs first; the first refusal counts. */
    default int order() {
        return 100;
    }

    /**
     * Whether the caller may use the target at all, from what does not change during the request (allow-list,
     * price): asked when the route is planned and whenever the router considers the target.
     *
     * @return null when it may, else the refusal
     */
    ApiException refusal(Exchange exchange, AttemptTarget target);

    /**
     * Right before an attempt on the target is sent (after the interceptors ran): may still refuse it (a
     * reservation that does not cover this target) and may adapt the request to it (an output cap in the field
     * that provider reads). Called only when {@link #refusal} admitted the target.
     *
     * @return null when the attempt may go, else the refusal
     */
    default ApiException admit(Exchange exchange, AttemptTarget target) {
        return null;
    }
}
