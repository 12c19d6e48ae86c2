package dev.sluice.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Function;

/** An embeddings request: the client's JSON tree plus its typed view. */
public final class EmbeddingsBody extends WireBody<EmbeddingsRequest> {

    public EmbeddingsBody(byte[] raw, ObjectNode body, EmbeddingsRequest view,
                          Function<ObjectNode, EmbeddingsRequest> viewer) {
        super(raw, body, view, viewer);
    }
}
