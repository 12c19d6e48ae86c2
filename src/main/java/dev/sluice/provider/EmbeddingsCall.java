package dev.sluice.provider;

import dev.sluice.openai.EmbeddingsBody;

/** One embeddings call to one provider; see {@link ChatCall}. */
public record EmbeddingsCall(EmbeddingsBody body, String model, CallContext context) {
}
