package dev.sluice.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatChunk;
import dev.sluice.openai.CompletionChunks;
import io.smallrye.mutiny.Multi;

import java.util.List;

/**
 * An accepted streaming completion: OpenAI {@code chat.completion.chunk}s as they arrive. The upstream's
 * {@code [DONE]} is not a chunk: the stream simply completes.
 *
 * @param chunks         the chunks
 * @param nativeProtocol when not null, the upstream was passed the client's own request in this protocol and every
 *                       upstream event rides on a chunk as {@link ChatChunk#nativeFrame()} (on a carrier chunk
 *                       when it translates to no OpenAI chunk), to be relayed as it came
 */
public record ChatStream(Multi<ChatChunk> chunks, WireProtocol nativeProtocol) {

    public ChatStream(Multi<ChatChunk> chunks) {
        this(chunks, null);
    }

    /**
     * A whole completion an upstream answered to a streaming request, replayed as the chunks a stream would have
     * carried; without {@code includeUsage} the usage chunk is recorded by the gateway but not sent.
     */
    public static ChatStream replay(ObjectNode completion, ObjectMapper mapper, boolean includeUsage) {
        List<ChatChunk> replay = CompletionChunks.of(completion, mapper);
        if (!includeUsage) {
            replay.stream().filter(c -> c.json().path("choices").isEmpty()).forEach(ChatChunk::drop);
        }
        return new ChatStream(Multi.createFrom().iterable(replay));
    }

    /** The same stream over other chunks (wrapped, gated), keeping what protocol its native frames are in. */
    public ChatStream withChunks(Multi<ChatChunk> other) {
        return new ChatStream(other, nativeProtocol);
    }
}
