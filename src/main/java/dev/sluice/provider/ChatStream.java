package dev.sluice.provider;

import dev.sluice.openai.ChatChunk;
import io.smallrye.mutiny.Multi;

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

    /** The same stream over other chunks (wrapped, gated), keeping what protocol its native frames are in. */
    public ChatStream withChunks(Multi<ChatChunk> other) {
        return new ChatStream(other, nativeProtocol);
    }
}
