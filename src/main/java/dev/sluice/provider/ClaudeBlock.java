package dev.sluice.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One content block of a Claude answer streamed block by block, as Anthropic's Messages API and Bedrock's Converse
 * both stream it, as far as translating it to OpenAI chunks needs to remember: what the block is, the OpenAI index
 * of its tool call, and the thinking it carried with its signature. A signed thinking block ends as a
 * {@code thinking_blocks} delta holding the whole block, which clients send back in the next turn of a tool-use
 * loop; a redacted one is passed on as it came.
 */
public class ClaudeBlock {

    /** What a block is, as far as translation is concerned. */
    public enum Kind {
        TEXT,
        /** A tool call the client sees. */
        TOOL,
        /** The forced tool carrying a structured answer, streamed as content. */
        JSON_TOOL,
        THINKING,
        OTHER
    }

    public final Kind kind;
    /** The OpenAI index of the block's tool call; -1 when it is not a tool call. */
    public final int toolIndex;
    private StringBuilder thinking;
    private String signature;

    public ClaudeBlock(Kind kind, int toolIndex) {
        this.kind = kind;
        this.toolIndex = toolIndex;
        if (kind == Kind.THINKING) {
            this.thinking = new StringBuilder();
        }
    }

    /** Adds a fragment of the block's thinking (a block of another kind keeps none). */
    public void think(String fragment) {
        if (thinking != null) {
            thinking.append(fragment);
        }
    }

    /** Adds a fragment of the block's signature. */
    public void sign(String fragment) {
        signature = signature == null ? fragment : signature + fragment;
    }

    /**
     * At the block's end: the {@code thinking_blocks} value of a signed thinking block, the whole block; null for
     * any other block. The thinking is then let go.
     */
    public ArrayNode signedThinking(JsonNodeFactory nodes) {
        if (kind != Kind.THINKING || signature == null || thinking == null) {
            return null;
        }
        ObjectNode signed = nodes.objectNode();
        signed.put("type", "thinking");
        signed.put("thinking", thinking.toString());
        signed.put("signature", signature);
        thinking = null;
        return nodes.arrayNode().add(signed);
    }

    /** The {@code thinking_blocks} value of a redacted thinking block: its encrypted data, as it came. */
    public static ArrayNode redactedThinking(JsonNodeFactory nodes, String data) {
        ObjectNode redacted = nodes.objectNode();
        redacted.put("type", "redacted_thinking");
        redacted.put("data", data);
        return nodes.arrayNode().add(redacted);
    }
}
