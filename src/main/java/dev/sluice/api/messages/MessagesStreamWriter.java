package dev.sluice.api.messages;

import dev.sluice.anthropic.AnthropicWire;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.openai.ChatChunk;
import io.vertx.core.buffer.Buffer;

import static dev.sluice.anthropic.AnthropicWire.CONTENT_BLOCK_DELTA;
import static dev.sluice.anthropic.AnthropicWire.CONTENT_BLOCK_START;
import static dev.sluice.anthropic.AnthropicWire.CONTENT_BLOCK_STOP;
import static dev.sluice.anthropic.AnthropicWire.INPUT_JSON_DELTA;
import static dev.sluice.anthropic.AnthropicWire.MESSAGE_DELTA;
import static dev.sluice.anthropic.AnthropicWire.MESSAGE_START;
import static dev.sluice.anthropic.AnthropicWire.MESSAGE_STOP;
import static dev.sluice.anthropic.AnthropicWire.PING;
import static dev.sluice.anthropic.AnthropicWire.REDACTED_THINKING;
import static dev.sluice.anthropic.AnthropicWire.SIGNATURE_DELTA;
import static dev.sluice.anthropic.AnthropicWire.TEXT;
import static dev.sluice.anthropic.AnthropicWire.TEXT_DELTA;
import static dev.sluice.anthropic.AnthropicWire.THINKING;
import static dev.sluice.anthropic.AnthropicWire.THINKING_DELTA;
import static dev.sluice.anthropic.AnthropicWire.TOOL_USE;

/**
 * OpenAI chunks written as Anthropic's event stream, one stream per instance: one {@code message_start} (and a
 * {@code ping} after the first block opens), then for each content block {@code content_block_start},
 * its deltas ({@code thinking_delta} and {@code signature_delta}, {@code text_delta}, {@code input_json_delta} as the
 * tool arguments arrive, never accumulated) and {@code content_block_stop}, with indexes counting from 0; a new
 * kind of content (reasoning, text, another tool call) closes the open block. The finish reason waits for the usage
 * chunk: {@code message_delta} (stop reason and usage) and {@code message_stop} close the stream. A failure becomes
 * Anthropic's {@code error} event.
 *
 * <p>Tool calls are expected one after the other, as OpenAI-protocol upstreams stream them: Anthropic's blocks
 * cannot reopen, so a late argument fragment of a call whose block is already closed is left out of the stream
 * (billing still counts it).
 */
final class MessagesStreamWriter implements ClientProtocol.StreamWriter {

    private enum Open { NONE, THINKING, TEXT, TOOL, OTHER }

    private final ObjectMapper mapper;
    private final String model;
    private boolean started;
    private boolean pinged;
    private Open open = Open.NONE;
    private boolean blockOpen;
    private int openTool = -1;
    private int index = -1;
    private String stopReason;
    private JsonNode usage;

    MessagesStreamWriter(ObjectMapper mapper, String model) {
        this.mapper = mapper;
        this.model = model;
    }

    @Override
    public Buffer chunk(ChatChunk chunk) {
        if (chunk.carrier()) {
            return ClientProtocol.NOTHING;
        }
        ObjectNode json = chunk.json();
        Buffer out = Buffer.buffer(256);
        if (!started) {
            started = true;
            messageStart(json, out);
        }
        JsonNode choice = json.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String reasoning = MessagesResponseTranslator.reasoning(delta);
        if (reasoning != null && !reasoning.isEmpty()) {
            ensure(Open.THINKING, out);
            delta(out, THINKING_DELTA, "thinking", reasoning);
        }
        for (JsonNode b : delta.path("thinking_blocks")) {
            if (THINKING.equals(b.path("type").asText()) && b.path("signature").isTextual()) {
                if (!blockOpen || open != Open.THINKING) {
                    ensure(Open.THINKING, out);
                    if (!b.path("thinking").asText("").isEmpty()) {
                        delta(out, THINKING_DELTA, "thinking", b.path("thinking").asText());
                    }
                }
                delta(out, SIGNATURE_DELTA, "signature", b.get("signature").asText());
            } else if (REDACTED_THINKING.equals(b.path("type").asText())) {
                ObjectNode block = mapper.createObjectNode().put("type", REDACTED_THINKING)
                        .put("data", b.path("data").asText(""));
                startBlock(block, Open.OTHER, out);
                close(out);
            }
        }
        JsonNode content = delta.get("content");
        if (content != null && content.isTextual() && !content.asText().isEmpty()) {
            ensure(Open.TEXT, out);
            delta(out, TEXT_DELTA, "text", content.asText());
        }
        JsonNode refusal = delta.get("refusal");
        if (refusal != null && refusal.isTextual() && !refusal.asText().isEmpty()) {
            ensure(Open.TEXT, out);
            delta(out, TEXT_DELTA, "text", refusal.asText());
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int tool = call.path("index").asInt(0);
            JsonNode function = call.path("function");
            if (!blockOpen || open != Open.TOOL || openTool != tool) {
                if (!call.path("id").isTextual() && !function.path("name").isTextual()) {
                    // a late fragment of a call whose block is closed: Anthropic blocks cannot reopen
                    continue;
                }
                ObjectNode block = mapper.createObjectNode().put("type", TOOL_USE)
                        .put("id", call.path("id").asText("")).put("name", function.path("name").asText(""));
                block.putObject("input");
                startBlock(block, Open.TOOL, out);
                openTool = tool;
            }
            String arguments = function.path("arguments").asText("");
            if (!arguments.isEmpty()) {
                delta(out, INPUT_JSON_DELTA, "partial_json", arguments);
            }
        }
        String finish = choice.path("finish_reason").asText(null);
        if (finish != null) {
            stopReason = MessagesResponseTranslator.stopReason(finish);
            close(out);
        }
        if (json.get("usage") instanceof ObjectNode u) {
            usage = u;
        }
        return out.length() == 0 ? ClientProtocol.NOTHING : out;
    }

    @Override
    public Buffer end() {
        Buffer out = Buffer.buffer(256);
        if (!started) {
            started = true;
            messageStart(mapper.createObjectNode(), out);
        }
        close(out);
        ObjectNode delta = mapper.createObjectNode().put("type", MESSAGE_DELTA);
        delta.putObject("delta").put("stop_reason", stopReason == null ? AnthropicWire.END_TURN : stopReason)
                .putNull("stop_sequence");
        delta.set("usage", MessagesResponseTranslator.usage(usage == null ? mapper.createObjectNode() : usage,
                mapper.getNodeFactory()));
        event(out, MESSAGE_DELTA, delta);
        event(out, MESSAGE_STOP, mapper.createObjectNode().put("type", MESSAGE_STOP));
        return out;
    }

    @Override
    public Buffer failure(ApiException failure) {
        Buffer out = Buffer.buffer(256);
        event(out, AnthropicWire.ERROR, MessagesErrors.body(failure, null, mapper));
        return out;
    }

    private void messageStart(ObjectNode first, Buffer out) {
        ObjectNode message = mapper.createObjectNode();
        message.put("id", MessagesResponseTranslator.messageId(first.path("id").asText("")));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", MessagesResponseTranslator.usage(mapper.createObjectNode(), mapper.getNodeFactory()));
        ObjectNode event = mapper.createObjectNode().put("type", MESSAGE_START);
        event.set("message", message);
        event(out, MESSAGE_START, event);
    }

    /** Opens a block of this kind unless one is open already. */
    private void ensure(Open kind, Buffer out) {
        if (blockOpen && open == kind) {
            return;
        }
        ObjectNode block = mapper.createObjectNode();
        if (kind == Open.THINKING) {
            block.put("type", THINKING).put("thinking", "").put("signature", "");
        } else {
            block.put("type", TEXT).put("text", "");
        }
        startBlock(block, kind, out);
    }

    /** Closes the open block, if any, and opens this one at the next index. */
    private void startBlock(ObjectNode block, Open kind, Buffer out) {
        close(out);
        index++;
        ObjectNode event = mapper.createObjectNode().put("type", CONTENT_BLOCK_START).put("index", index);
        event.set("content_block", block);
        event(out, CONTENT_BLOCK_START, event);
        if (!pinged) {
            // where Anthropic sends its first keep-alive
            pinged = true;
            event(out, PING, mapper.createObjectNode().put("type", PING));
        }
        blockOpen = true;
        open = kind;
    }

    private void delta(Buffer out, String type, String field, String value) {
        ObjectNode event = mapper.createObjectNode().put("type", CONTENT_BLOCK_DELTA).put("index", index);
        event.putObject("delta").put("type", type).put(field, value);
        event(out, CONTENT_BLOCK_DELTA, event);
    }

    private void close(Buffer out) {
        if (!blockOpen) {
            return;
        }
        event(out, CONTENT_BLOCK_STOP, mapper.createObjectNode().put("type", CONTENT_BLOCK_STOP).put("index", index));
        blockOpen = false;
        open = Open.NONE;
        openTool = -1;
    }

    private void event(Buffer out, String name, ObjectNode data) {
        try {
            out.appendString("event: ").appendString(name).appendString("\ndata: ")
                    .appendBytes(mapper.writeValueAsBytes(data)).appendString("\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an event", e);
        }
    }
}
