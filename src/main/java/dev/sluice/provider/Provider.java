package dev.sluice.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * One upstream, spoken to in its own protocol. Everything above this interface speaks OpenAI's wire format:
 * an implementation translates requests to its protocol and responses, chunks and errors back.
 *
 * <p>Implementations never block: every method returns at once and completes on the event loop. Failures are
 * {@link UpstreamException}s (or {@link dev.sluice.openai.ApiException}s for requests the protocol cannot express).
 */
public interface Provider {

    /** Who the provider is and what it can be asked, fixed when it is built. */
    ProviderProfile profile();

    /** The configured name, e.g. {@code openai}, {@code groq}, {@code my-vllm}. */
    default String name() {
        return profile().name();
    }

    /** The wire protocol, e.g. {@code openai}, {@code anthropic}. */
    default String kind() {
        return profile().kind();
    }

    /**
     * Whether a client request in this protocol can be sent as it is to this provider's {@code model} (the name
     * the upstream knows). The router asks this per attempt; a provider whose models do not all speak the same
     * protocol (Bedrock: only Anthropic's models take Anthropic's Messages body) overrides it. By default, whether
     * the protocol is one its {@link ProviderProfile#speaks() profile} names.
     */
    default boolean speaks(WireProtocol protocol, String model) {
        return profile().speaks().contains(protocol);
    }

    /** A non-streaming chat completion, returned as an OpenAI {@code chat.completion} object. */
    Uni<ObjectNode> chat(ChatCall call);

    /**
     * A streaming chat completion. The Uni completes once the upstream has accepted the request (so a refusal
     * keeps its real status); the stream then emits OpenAI {@code chat.completion.chunk} objects and completes
     * when the upstream finishes. A failure after acceptance fails the stream.
     */
    Uni<ChatStream> chatStream(ChatCall call);

    /**
     * The exact input token count of a request passed through in the provider's own protocol, as Anthropic's
     * {@code count_tokens} answers it ({@code {"input_tokens": n}}); providers without such an endpoint fail with a
     * 400. A provider whose endpoint counts only some of its models completes with null for the others, and the
     * caller estimates instead.
     */
    default Uni<ObjectNode> countTokens(ChatCall call) {
        return Uni.createFrom().failure(Unsupported.operation(name(), "token counting",
                "this provider has no token-counting endpoint"));
    }

    /** Embeddings, returned as an OpenAI embeddings list object. */
    Uni<ObjectNode> embeddings(EmbeddingsCall call);

    /** The provider's own model list (ids without the provider prefix). */
    Uni<List<ProviderModel>> listModels();
}
