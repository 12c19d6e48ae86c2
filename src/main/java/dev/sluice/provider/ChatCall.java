package dev.sluice.provider;

import dev.sluice.api.ChatBody;

/**
 * One chat call to one provider.
 *
 * @param body    the client's request (read-only for the provider: retries and fallbacks reuse it)
 * @param model   the model name the upstream knows
 * @param context request id and timing shared by every call of the exchange
 */
public record ChatCall(ChatBody body, String model, CallContext context) {
}
