package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.CallContext;
import dev.sluice.provider.SseEvent;
import dev.sluice.provider.StreamTranslator;

/**
 * The reading of Anthropic's Messages answers, for other adapters whose upstream answers in Anthropic's format
 * (Bedrock's Anthropic models): a passed-through answer is relayed to the client as it came, and these give the
 * gateway its OpenAI view of it (usage for billing and metering, the finish reason) exactly as for Anthropic
 * itself, instead of a second copy of the same mapping.
 */
public final class AnthropicMessages {

    private AnthropicMessages() {
    }

    /** A whole Messages answer as an OpenAI {@code chat.completion}. */
    public static ObjectNode completion(ObjectNode message, ObjectMapper mapper) {
        return AnthropicResponseMapper.toCompletion(message, null, System.currentTimeMillis() / 1000,
                mapper.getNodeFactory());
    }

    /**
     * A translator of one Messages event stream (events whose data is one Anthropic stream event) into OpenAI
     * chunks, usage always included, usage so far reported to {@code context}; an {@code error} event fails it.
     */
    public static StreamTranslator<SseEvent> streamTranslator(String provider, ObjectMapper mapper,
                                                              CallContext context) {
        return new AnthropicStreamTranslator(new AnthropicErrors(provider, mapper), null, true,
                System.currentTimeMillis() / 1000, context);
    }
}
