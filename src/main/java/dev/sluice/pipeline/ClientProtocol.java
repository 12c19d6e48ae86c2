package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import dev.sluice.provider.WireProtocol;
import io.vertx.core.buffer.Buffer;

/**
 * The protocol a client spoke, on the way out: how the pipeline's answer (an OpenAI {@code chat.completion}, or a
 * stream of {@code chat.completion.chunk}s) and its failures are written for that client. The core speaks OpenAI
 * chat throughout; each ingress (OpenAI chat, Anthropic Messages, OpenAI Responses) supplies one of these with its
 * exchange ({@link Exchange#speaking}), so that every interceptor and the router work unchanged whatever the
 * client speaks.
 *
 * <p>When an attempt passed the client's own request through to an upstream of the same protocol, the upstream's
 * bytes are what the client should receive: {@link Exchange#nativeAnswer()} for a whole answer,
 * {@link ChatChunk#nativeFrame()} on the chunks of a stream whose {@link ChatStream#nativeProtocol()} is this
 * protocol's. Implementations write those when present and translate otherwise.
 *
 * <p>Everything here runs on the event loop and must not block.
 */
public interface ClientProtocol {

    /** Returned by {@link StreamWriter#chunk} when a chunk yields nothing for the client. */
    Buffer NOTHING = Buffer.buffer(0);

    /** Which protocol this is (what a provider must {@code speak} to be passed the request through). */
    WireProtocol wire();

    /** The body of a whole answer, after every interceptor saw {@code completion}. */
    Buffer whole(Exchange exchange, ObjectNode completion);

    /** A writer for one accepted stream, fed its chunks in order. */
    StreamWriter streamWriter(Exchange exchange, ChatStream stream);

    /** A failure before the first byte: the status and body to answer with (the exception's headers are added). */
    ErrorReply error(ApiException failure, String requestId);

    /** A status and a JSON body. */
    record ErrorReply(int status, Buffer body) {
    }

    /**
     * The frames of one stream. State a protocol needs across chunks (open content blocks, their indexes, the stop
     * reason waiting for the usage) lives in the writer, one per stream.
     */
    interface StreamWriter {

        /**
         * The bytes to send for one chunk, or {@link #NOTHING}. Called for every chunk, including those an
         * interceptor dropped ({@link ChatChunk#dropped()}) and carriers ({@link ChatChunk#carrier()}): whether
         * they yield bytes is the protocol's decision.
         */
        Buffer chunk(ChatChunk chunk);

        /** The bytes that end a complete stream (after the exchange was finished), or {@link #NOTHING}. */
        Buffer end();

        /** The protocol's error event for a stream that failed after its first byte; the stream then ends. */
        Buffer failure(ApiException failure);
    }
}
