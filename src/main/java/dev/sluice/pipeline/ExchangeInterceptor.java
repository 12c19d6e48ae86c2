package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatChunk;
import io.smallrye.mutiny.Uni;

/**
 * A step every chat or embeddings exchange passes through. Features that act on every request (key policies,
 * rate limits, billing, retrieval, metrics) implement this instead of editing the pipeline.
 *
 * <p>All methods run on the event loop and must not block. The default implementations do nothing; return
 * {@link #CONTINUE} rather than a new Uni when there is nothing to wait for.
 */
public interface ExchangeInterceptor {

    Uni<Void> CONTINUE = Uni.createFrom().voidItem();

    /** Where this interceptor runs among the others (see {@link Stage} for why each comes where it does). */
    Stage stage();

    /**
     * Whether this interceptor has anything to do in this configuration, asked once when the pipeline is built: one
     * that has not (tracing when it is off) is left out of the request path altogether, rather than called on
     * every request and chunk to do nothing.
     */
    default boolean active() {
        return true;
    }

    /**
     * After the model is resolved, before any upstream call: may edit the request ({@code exchange.chat().edit()}),
     * add response headers, refuse the exchange by failing with an {@link dev.sluice.openai.ApiException}, or answer
     * it itself ({@link LocalAnswer}), after which no later interceptor's {@code beforeUpstream} runs.
     */
    default Uni<Void> beforeUpstream(Exchange exchange) {
        return CONTINUE;
    }

    /** A whole (non-streaming) response, before it is sent: a chat completion or an embeddings list. */
    default void onResponse(Exchange exchange, ObjectNode response) {
    }

    /** A streamed chunk, before it is sent; may edit it or drop it. */
    default void onChunk(Exchange exchange, ChatChunk chunk) {
    }

    /**
     * Once per exchange, however it ended, before its last bytes are sent (the body of a response, the
     * {@code [DONE]} of a stream). The returned Uni holds those bytes back until it completes; if it fails, the
     * client receives that failure instead.
     */
    default Uni<Void> onFinish(Exchange exchange, Outcome outcome) {
        return CONTINUE;
    }
}
