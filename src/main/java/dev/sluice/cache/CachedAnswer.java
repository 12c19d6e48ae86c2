package dev.sluice.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.LocalAnswer;
import dev.sluice.openai.ChatChunk;
import dev.sluice.provider.ChatStream;
import io.smallrye.mutiny.Multi;

/**
 * A cache hit: the stored completion, handed to the pipeline whole or replayed as a stream, its {@code usage}
 * marked {@code "cache_hit": true} so that the client can tell.
 */
record CachedAnswer(ObjectNode stored, ObjectMapper mapper, boolean billed) implements LocalAnswer {

    static final String USAGE_MARK = "cache_hit";

    @Override
    public ObjectNode completion() {
        ObjectNode copy = stored.deepCopy();
        if (copy.get("usage") instanceof ObjectNode usage) {
            usage.put(USAGE_MARK, true);
        }
        return copy;
    }

    @Override
    public ChatStream stream() {
        return new ChatStream(Multi.createFrom().iterable(CompletionReplay.chunks(completion(), mapper))
                .map(json -> ChatChunk.of(mapper, json)));
    }
}
