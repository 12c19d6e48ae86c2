package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.ChatStream;

/**
 * An answer an interceptor already holds for an exchange before anything is sent upstream (a cached completion).
 * Put under {@link #KEY} in {@code beforeUpstream}, it makes the pipeline skip the later interceptors'
 * {@code beforeUpstream} and the dispatch, and relay this answer instead, through the same interceptors and
 * client protocol as an upstream's: so metering, metrics and the stream writer treat it like any other answer.
 */
public interface LocalAnswer {

    Exchange.Key<LocalAnswer> KEY = new Exchange.Key<>("sluice.local-answer", LocalAnswer.class);

    /** The whole completion, a fresh copy the interceptors may edit. */
    ObjectNode completion();

    /** The same answer as a stream of chunks (role, content, tool calls, finish, usage last). */
    ChatStream stream();

    /** Whether the request is charged as if an upstream had answered it; false: it costs nothing. */
    boolean billed();
}
