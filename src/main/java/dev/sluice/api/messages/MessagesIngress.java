package dev.sluice.api.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatBody;
import dev.sluice.api.RequestReader;
import dev.sluice.openai.WireBody;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.NativeRequest;
import dev.sluice.provider.WireProtocol;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static dev.sluice.anthropic.AnthropicWire.BETA_HEADER;
import static dev.sluice.anthropic.AnthropicWire.DEFAULT_VERSION;
import static dev.sluice.api.messages.MessagesWire.SESSION_HEADER;
import static dev.sluice.anthropic.AnthropicWire.VERSION_HEADER;

/**
 * Reads a Messages request into what the pipeline needs: the translated chat request, Anthropic's protocol for
 * the way out, and the client's request as it came, for attempts on Anthropic deployments: its bytes with only
 * the model changed (and {@code max_tokens} when Sluice lowered it: a model's limit, a prepaid key's reservation),
 * and its {@code anthropic-version} and {@code anthropic-beta} headers. A request with {@code web_extract} is
 * translated on every attempt, as retrieval rewrites the conversation in the translation.
 */
@ApplicationScoped
public class MessagesIngress {

    /** The longest client session id recorded on a ledger line. */
    static final int MAX_SESSION = 128;

    @Inject
    RequestReader reader;
    @Inject
    ObjectMapper mapper;

    /** A read request. */
    record Request(ChatBody chat, MessagesProtocol protocol, NativeRequest origin, ObjectNode tree) {
    }

    /**
     * @param needsMaxTokens true for {@code /v1/messages} (Anthropic requires it), false for count_tokens
     * @throws dev.sluice.openai.ApiException a 400 for a body that is not a valid Messages request
     */
    Request read(byte[] body, Function<String, String> headers, boolean needsMaxTokens) {
        ObjectNode tree = reader.parse(body);
        MessagesRequestTranslator.Translation translation = MessagesRequestTranslator.translate(tree, needsMaxTokens,
                mapper.getNodeFactory());
        ChatBody chat = reader.chat(translation.chat());
        String model = tree.get("model").asText();
        NativeRequest origin = new NativeRequest(WireProtocol.ANTHROPIC_MESSAGES, forwarded(headers),
                (upstreamModel, current) -> passthroughBody(body, tree, model, upstreamModel, current),
                translation.dropped(), translation.untranslatable());
        return new Request(chat, new MessagesProtocol(mapper, model), origin, tree);
    }

    /** The protocol for answers and errors of a request of this model (null: errors only). */
    MessagesProtocol protocol(String model) {
        return new MessagesProtocol(mapper, model == null ? "" : model);
    }

    /** Records on the exchange what the client's headers say about it (its session). */
    void note(Exchange exchange, Function<String, String> headers) {
        String session = headers.apply(SESSION_HEADER);
        if (session != null && !session.isBlank()) {
            exchange.put(Exchange.CLIENT_SESSION,
                    session.length() > MAX_SESSION ? session.substring(0, MAX_SESSION) : session);
        }
    }

    /** Anthropic's version (the client's, else the one every SDK sends) and betas, forwarded to Anthropic only. */
    static Map<String, String> forwarded(Function<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        String version = headers.apply(VERSION_HEADER);
        out.put(VERSION_HEADER, version == null || version.isBlank() ? DEFAULT_VERSION : version);
        String betas = headers.apply(BETA_HEADER);
        if (betas != null && !betas.isBlank()) {
            out.put(BETA_HEADER, betas);
        }
        return out;
    }

    /**
     * The client's bytes for an attempt on an Anthropic upstream: unchanged but for the model name and a lowered
     * {@code max_tokens}; null when the request must be translated (retrieval rewrote it).
     */
    private byte[] passthroughBody(byte[] raw, ObjectNode tree, String model, String upstreamModel, ChatBody chat) {
        if (tree.has("web_extract")) {
            return null;
        }
        JsonNode original = tree.get("max_tokens");
        JsonNode now = chat.body().get("max_tokens");
        boolean lowered = original != null && now != null && now.canConvertToInt() && now.asInt() < original.asInt();
        try {
            if (!lowered) {
                if (upstreamModel.equals(model)) {
                    return raw;
                }
                byte[] spliced = WireBody.spliceModel(raw, upstreamModel, mapper);
                if (spliced != null) {
                    return spliced;
                }
            }
            ObjectNode copy = tree.deepCopy();
            copy.put("model", upstreamModel);
            if (lowered) {
                copy.put("max_tokens", now.asInt());
            }
            return mapper.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
