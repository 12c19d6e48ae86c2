package dev.sluice.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.money.Money;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ChatChunk;

import java.util.function.ToLongFunction;

/**
 * The {@code usage} object the client receives: a stream always asks its upstream for usage (settlement needs it)
 * but the client gets the usage chunk only if it asked for it, and every usage it gets carries what the request
 * cost ({@code usage.cost}, in dollars). Pure: it edits the request and the answer, nothing else.
 */
final class UsageInAnswer {

    private UsageInAnswer() {
    }

    /**
     * Makes a streaming request ask the upstream for its usage chunk; returns whether the client asked for it
     * itself.
     */
    static boolean askForUsage(ChatBody chat) {
        if (chat.includeUsage()) {
            return true;
        }
        ObjectNode body = chat.edit();
        JsonNode options = body.get("stream_options");
        ObjectNode o = options instanceof ObjectNode on ? on : body.putObject("stream_options");
        o.put("include_usage", true);
        return false;
    }

    /** Adds the cost to a whole answer's usage. */
    static void priceAnswer(ObjectNode response, ToLongFunction<ObjectNode> costMicros) {
        if (response.get("usage") instanceof ObjectNode usage) {
            usage.put("cost", Money.usd(costMicros.applyAsLong(usage)));
        }
    }

    /**
     * Adds the cost to a chunk's usage when the client asked for usage ({@code costMicros} null when the target
     * has no price); otherwise removes the usage from the chunk, or the whole chunk when it carries nothing else.
     */
    static void relayChunk(ChatChunk chunk, boolean clientWantsUsage, ToLongFunction<ObjectNode> costMicros) {
        ObjectNode json = chunk.json();
        JsonNode usage = json.get("usage");
        if (usage == null) {
            return;
        }
        if (usage instanceof ObjectNode u) {
            if (clientWantsUsage) {
                if (costMicros != null) {
                    ObjectNode edited = (ObjectNode) chunk.edit().get("usage");
                    edited.put("cost", Money.usd(costMicros.applyAsLong(u)));
                }
            } else if (json.path("choices").isEmpty()) {
                chunk.drop();
            } else {
                chunk.edit().remove("usage");
            }
        } else if (!clientWantsUsage) {
            chunk.edit().remove("usage");
        }
    }
}
