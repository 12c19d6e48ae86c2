package dev.sluice.provider;

import dev.sluice.openai.ChatChunk;
import io.smallrye.mutiny.Multi;

import java.util.ArrayList;
import java.util.List;

/**
 * The state machine that turns one provider stream into OpenAI chunks, one upstream event at a time. A
 * translating adapter implements it for its protocol's events (SSE events, decoded binary frames...) and
 * {@link #translate} drives it.
 *
 * <p>Streaming stays true to the upstream: each event is translated as it arrives and its chunks are emitted at
 * once; nothing waits for the end of the stream. State a translation needs across events (the index of the
 * current tool call, token counts reported in different events) lives in the implementation, one instance per
 * stream. A failure reported inside the stream is thrown as an {@link UpstreamException}; the gateway then sends
 * the client an OpenAI error event.
 *
 * @param <E> the provider's event type
 */
public interface StreamTranslator<E> {

    /**
     * Translates one event, adding the chunks it yields (often one, sometimes none, e.g. for keep-alives).
     *
     * @throws UpstreamException when the event reports a failure
     */
    void onEvent(E event, List<ChatChunk> out);

    /**
     * The upstream body ended: adds any final chunks, or throws when the stream ended before the provider said it
     * was complete (a truncated answer must not look like a finished one).
     */
    void onEnd(List<ChatChunk> out);

    /**
     * Like {@link #translate}, for a passed-through stream: each upstream event also rides, as it came, on the first
     * chunk it yields (or on a carrier chunk when it yields none), so that the client receives the upstream's own
     * events while interceptors read the translation.
     */
    static Multi<ChatChunk> translateRelaying(Multi<SseEvent> events, StreamTranslator<SseEvent> translator,
                                              com.fasterxml.jackson.databind.ObjectMapper mapper) {
        return events.onItem().transformToIterable(event -> {
                    List<ChatChunk> out = new ArrayList<>(2);
                    translator.onEvent(event, out);
                    io.vertx.core.buffer.Buffer frame = event.frame();
                    if (out.isEmpty()) {
                        out.add(ChatChunk.carrier(mapper, frame));
                    } else {
                        out.get(0).withNativeFrame(frame);
                    }
                    return out;
                })
                .onCompletion().switchTo(() -> {
                    List<ChatChunk> out = new ArrayList<>(2);
                    translator.onEnd(out);
                    return Multi.createFrom().iterable(out);
                });
    }

    /**
     * An event's payload as JSON (null when empty); a payload that is not JSON means the upstream broke its own
     * protocol, a 502.
     */
    static com.fasterxml.jackson.databind.JsonNode readEvent(com.fasterxml.jackson.databind.ObjectMapper mapper,
                                                             byte[] payload, String provider) {
        try {
            return mapper.readTree(payload);
        } catch (java.io.IOException e) {
            throw UpstreamException.badResponse(provider, "a stream event is not JSON");
        }
    }

    /** The chunks of a translated stream, emitted event by event; cancelling it cancels the upstream. */
    static <E> Multi<ChatChunk> translate(Multi<E> events, StreamTranslator<E> translator) {
        return events.onItem().transformToIterable(event -> {
                    List<ChatChunk> out = new ArrayList<>(2);
                    translator.onEvent(event, out);
                    return out;
                })
                .onCompletion().switchTo(() -> {
                    List<ChatChunk> out = new ArrayList<>(2);
                    translator.onEnd(out);
                    return Multi.createFrom().iterable(out);
                });
    }
}
