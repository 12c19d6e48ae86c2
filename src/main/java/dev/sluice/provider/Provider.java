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

    /** The configured name, e.g. {@code openai}, {@code groq}, {@code my-vllm}. */
    String name();

    /** The wire protocol, e.g. {@code openai}, {@code anthropic}. */
    String kind();

    /**
     * Whose tokenizer counts this provider's models, for Sluice's own token counts before the upstream answers.
     * By default the model's name decides (a provider serving several vendors' models); an adapter of one
     * vendor's models says whose they are.
     */
    default Tokenizer tokenizer() {
        return Tokenizer.BY_MODEL_NAME;
    }

    /**
     * Whether the upstream reads OpenAI's {@code max_completion_tokens} (OpenAI's own API, Azure OpenAI) rather than
     * only {@code max_tokens}: where Sluice writes the output cap of a prepaid request.
     */
    default boolean takesMaxCompletionTokens() {
        return false;
    }

    /**
     * Whether the provider has a web-search tool of its own that a client's {@code web_search} tool can be
     * translated to (Anthropic's and Gemini's adapters say so).
     */
    default boolean searchesTheWeb() {
        return false;
    }

    /**
     * Whether this provider speaks a vendor's own protocol (Anthropic, Gemini, Azure OpenAI, Bedrock), under whose
     * kind the model catalog lists the vendor's models (and prices) whatever the provider is named: a second Azure
     * resource or another Bedrock region finds them too. The adapters of a vendor's own API say so.
     */
    default boolean vendorProtocol() {
        return false;
    }

    /**
     * Whether a client request in this protocol can be sent to this provider as it is ({@link Passthrough}); when
     * it does, the router hands the client's body to {@link #chat}/{@link #chatStream} in {@link ChatCall#passthrough()}.
     */
    default boolean speaks(WireProtocol protocol) {
        return false;
    }

    /**
     * Whether a client request in this protocol can be sent as it is to this provider's {@code model} (the name
     * the upstream knows). The router asks this per attempt; a provider whose models do not all speak the same
     * protocol (Bedrock: only Anthropic's models take Anthropic's Messages body) overrides it. By default, the
     * answer of {@link #speaks(WireProtocol)}.
     */
    default boolean speaks(WireProtocol protocol, String model) {
        return speaks(protocol);
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
