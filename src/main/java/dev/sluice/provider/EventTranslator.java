package dev.sluice.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the stream translators of the translating adapters (Anthropic, Bedrock, Gemini) have in common: the
 * protocol's error reader (for the errors a stream reports), whose stream it is (named in its failures), the mapper
 * its chunks are built with, and how a JSON event is read and a cut stream reported.
 *
 * @param <E> the provider's event type
 * @param <R> the protocol's error reader
 */
public abstract class EventTranslator<E, R extends UpstreamErrorReader> implements StreamTranslator<E> {

    protected final R errors;
    protected final String provider;
    protected final ObjectMapper mapper;

    /** @param errors the protocol's error reader, which names the provider and holds the mapper */
    protected EventTranslator(R errors) {
        this.errors = errors;
        this.provider = errors.provider;
        this.mapper = errors.mapper;
    }

    /** An event's payload as JSON (null when empty); a payload that is not JSON is a 502. */
    protected JsonNode json(byte[] payload) {
        return StreamTranslator.readEvent(mapper, payload, provider);
    }

    /**
     * The failure of a stream that ended before the upstream said it was complete: it was cut, and must not look
     * like a finished answer.
     *
     * @param before what the upstream had not sent yet, e.g. {@code "before message_stop"}
     */
    protected UpstreamException cut(String before) {
        return UpstreamException.badResponse(provider, "the stream ended " + before);
    }
}
