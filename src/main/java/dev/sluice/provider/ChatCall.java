package dev.sluice.provider;

import dev.sluice.openai.ChatBody;

/**
 * One chat call to one provider.
 *
 * @param body        the client's request (read-only for the provider: retries and fallbacks reuse it)
 * @param model       the model name the upstream knows
 * @param context     request id and timing shared by every call of the exchange
 * @param passthrough when not null, the client spoke this provider's own protocol: send its body instead of
 *                    translating {@code body} (the router sets it only for providers that {@link Provider#speaks
 *                    speak} the protocol)
 */
public record ChatCall(ChatBody body, String model, CallContext context, Passthrough passthrough) {

    public ChatCall(ChatBody body, String model, CallContext context) {
        this(body, model, context, null);
    }

    /** Whether this call passes the client's own request through in the given protocol. */
    public boolean passesThrough(WireProtocol protocol) {
        return passthrough != null && passthrough.protocol() == protocol;
    }
}
