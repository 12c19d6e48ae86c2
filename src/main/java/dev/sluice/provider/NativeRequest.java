package dev.sluice.provider;

import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;

import java.util.List;
import java.util.Map;

/**
 * A client request that arrived in a protocol other than OpenAI chat, as the ingress keeps it next to its
 * translation: what is needed to send it unchanged to an upstream that speaks the same protocol, and what the
 * translation could not carry. The router decides per attempt: a deployment whose provider
 * {@link Provider#speaks speaks} the protocol receives the client's own body ({@link Passthrough}); any other
 * receives the translation.
 *
 * @param protocol       the client's protocol
 * @param forwardHeaders headers of the client's request to forward when passed through (lower-case names), e.g.
 *                       {@code anthropic-version}, {@code anthropic-beta}; never credentials
 * @param body           builds the body to pass through for one attempt; may return null when the request was
 *                       changed on its way (by an interceptor) in a way only the translation carries, in which case
 *                       the attempt translates
 * @param dropped        what the translation left out (named in {@code x-sluice-dropped} when an attempt
 *                       translates): fields without an equivalent that do not change the answer
 * @param untranslatable a 400 for what cannot be translated at all (null when everything can): an attempt on a
 *                       deployment of another protocol fails with it, one that passes through is unaffected
 */
public record NativeRequest(WireProtocol protocol, Map<String, String> forwardHeaders, BodyBuilder body,
                            List<String> dropped, ApiException untranslatable) {

    /** The response header naming what a translation dropped. */
    public static final String DROPPED_HEADER = "x-sluice-dropped";

    /** The pass-through body for an attempt. */
    @FunctionalInterface
    public interface BodyBuilder {

        /**
         * @param upstreamModel the model name the upstream knows
         * @param chat          the translated request as the interceptors left it (output caps applied...)
         * @return the bytes to send, or null to translate this attempt instead
         */
        byte[] build(String upstreamModel, ChatBody chat);
    }

    public NativeRequest {
        forwardHeaders = Map.copyOf(forwardHeaders);
        dropped = List.copyOf(dropped);
    }

    /** The pass-through for an attempt on a provider that speaks the protocol; null when it must translate. */
    public Passthrough passthrough(String upstreamModel, ChatBody chat) {
        byte[] bytes = body.build(upstreamModel, chat);
        return bytes == null ? null : new Passthrough(protocol, forwardHeaders, bytes);
    }
}
