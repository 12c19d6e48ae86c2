package dev.sluice.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.ChatStream;
import io.smallrye.mutiny.Uni;

/**
 * Sends a prepared exchange upstream: picks where it goes (its resolved target, or a deployment of its model
 * group), calls the provider and decides what to do when that fails. Keeps {@link Exchange#target()} pointing at
 * the provider and model that actually served the request.
 */
public interface Dispatcher {

    /** Resolves the requested model; a failure here is an {@link dev.sluice.openai.ApiException} (404...). */
    void resolve(Exchange exchange);

    /** A whole chat completion or embeddings response. */
    Uni<ObjectNode> complete(Exchange exchange);

    /** An accepted stream; the Uni fails if no upstream accepts it. */
    Uni<ChatStream> stream(Exchange exchange);
}
