package dev.sluice.provider;

import io.smallrye.mutiny.Multi;

/**
 * An accepted streaming completion: OpenAI {@code chat.completion.chunk}s as they arrive. The upstream's
 * {@code [DONE]} is not a chunk: the stream simply completes.
 */
public record ChatStream(Multi<ChatChunk> chunks) {
}
