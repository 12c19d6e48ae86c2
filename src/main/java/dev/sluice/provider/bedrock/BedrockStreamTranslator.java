package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.openai.ChatChunk;
import dev.sluice.openai.StreamChunks;
import dev.sluice.provider.ClaudeBlock;
import dev.sluice.provider.ClaudeBlock.Kind;
import dev.sluice.provider.EventTranslator;
import dev.sluice.openai.TokenUsage;
import dev.sluice.provider.UpstreamException;
import software.amazon.eventstream.Message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.provider.bedrock.BedrockWire.CONTENT_BLOCK_DELTA;
import static dev.sluice.provider.bedrock.BedrockWire.CONTENT_BLOCK_START;
import static dev.sluice.provider.bedrock.BedrockWire.CONTENT_BLOCK_STOP;
import static dev.sluice.provider.bedrock.BedrockWire.MESSAGE_START;
import static dev.sluice.provider.bedrock.BedrockWire.MESSAGE_STOP;
import static dev.sluice.provider.bedrock.BedrockWire.METADATA;
import static dev.sluice.provider.bedrock.BedrockWire.REASONING;
import static dev.sluice.provider.bedrock.BedrockWire.REDACTED;
import static dev.sluice.provider.bedrock.BedrockWire.TEXT;
import static dev.sluice.provider.bedrock.BedrockWire.THINKING_BLOCKS;
import static dev.sluice.provider.bedrock.BedrockWire.TOOL_USE;

/**
 * ConverseStream's events (decoded event-stream messages, their type in the {@code :event-type} header) translated
 * one by one into OpenAI chunks as they arrive:
 *
 * <ul>
 *   <li>{@code messageStart}: the opening chunk ({@code role: assistant});</li>
 *   <li>{@code contentBlockStart} of a {@code toolUse}: the tool call's first delta (its OpenAI index, id and
 *       name);</li>
 *   <li>{@code contentBlockDelta}: {@code text} → content, {@code toolUse.input} → the next fragment of the tool
 *       call's arguments (never accumulated), {@code reasoningContent.text} → {@code reasoning_content};
 *       a reasoning {@code signature} is kept for the block's end, {@code redactedContent} becomes a
 *       {@code thinking_blocks} delta;</li>
 *   <li>{@code contentBlockStop} of a signed reasoning block: a {@code thinking_blocks} delta with the whole block,
 *       for the next turn of a tool-use loop;</li>
 *   <li>{@code messageStop}: the finish-reason chunk; {@code metadata}: the usage chunk (sent when the client asked
 *       with {@code include_usage}, recorded by the gateway always);</li>
 *   <li>an {@code exception} message: the mapped {@link UpstreamException}.</li>
 * </ul>
 * A stream that ends before {@code messageStop} was cut, and fails.
 */
final class BedrockStreamTranslator extends EventTranslator<Message, BedrockErrors> {

    private final String jsonTool;
    private final boolean includeUsage;
    private final StreamChunks chunks;
    private final Map<Integer, ClaudeBlock> blocks = new HashMap<>(4);
    private int nextToolIndex;
    private boolean answeredThroughTool;
    private boolean stopped;
    private boolean usageSent;

    BedrockStreamTranslator(BedrockErrors errors, String id, String model, String jsonTool, boolean includeUsage,
                            long created) {
        super(errors);
        this.jsonTool = jsonTool;
        this.includeUsage = includeUsage;
        this.chunks = new StreamChunks(mapper, id, created, model);
    }

    @Override
    public void onEvent(Message message, List<ChatChunk> out) {
        String messageType = header(message, BedrockWire.MESSAGE_TYPE, BedrockWire.EVENT);
        if (!BedrockWire.EVENT.equals(messageType)) {
            String type = header(message, BedrockWire.EXCEPTION_TYPE, header(message, BedrockWire.ERROR_CODE,
                    "InternalServerException"));
            throw errors.fromStream(type, message.getPayload());
        }
        String type = header(message, BedrockWire.EVENT_TYPE, "");
        JsonNode data = json(message.getPayload());
        if (data == null) {
            return;
        }
        switch (type) {
            case MESSAGE_START -> out.add(chunks.start());
            case CONTENT_BLOCK_START -> blockStart(data.path("contentBlockIndex").asInt(), data.path("start"), out);
            case CONTENT_BLOCK_DELTA -> blockDelta(data.path("contentBlockIndex").asInt(), data.path("delta"), out);
            case CONTENT_BLOCK_STOP -> blockStop(blocks.get(data.path("contentBlockIndex").asInt()), out);
            case MESSAGE_STOP -> {
                if (!stopped) {
                    stopped = true;
                    out.add(chunks.finish(BedrockResponseMapper.finishReason(data.path("stopReason").asText(null),
                            answeredThroughTool)));
                }
            }
            case METADATA -> {
                if (!usageSent) {
                    usageSent = true;
                    out.add(chunks.usage(BedrockResponseMapper.usage(data.path("usage")), includeUsage));
                }
            }
            default -> {
                // event types added after this adapter was written carry nothing for the client
            }
        }
    }

    @Override
    public void onEnd(List<ChatChunk> out) {
        if (!stopped) {
            throw cut("before messageStop");
        }
        if (!usageSent) {
            out.add(chunks.usage(TokenUsage.NONE, includeUsage));
        }
    }

    private static String header(Message message, String name, String fallback) {
        return EventStreamFrames.header(message, name, fallback);
    }

    private void blockStart(int index, JsonNode start, List<ChatChunk> out) {
        JsonNode use = start.path(TOOL_USE);
        if (!use.isObject()) {
            blocks.put(index, new ClaudeBlock(Kind.OTHER, -1));
            return;
        }
        String name = use.path("name").asText("");
        if (name.equals(jsonTool)) {
            blocks.put(index, new ClaudeBlock(Kind.JSON_TOOL, -1));
            answeredThroughTool = true;
            return;
        }
        ClaudeBlock b = new ClaudeBlock(Kind.TOOL, nextToolIndex++);
        blocks.put(index, b);
        out.add(chunks.toolCallStart(b.toolIndex, use.path("toolUseId").asText(""), name, ""));
    }

    private void blockDelta(int index, JsonNode delta, List<ChatChunk> out) {
        ClaudeBlock block = blocks.get(index);
        if (delta.has(TEXT)) {
            if (block == null) {
                blocks.put(index, new ClaudeBlock(Kind.TEXT, -1));
            }
            String text = delta.get(TEXT).asText("");
            if (!text.isEmpty()) {
                out.add(chunks.text(text));
            }
        } else if (delta.has(TOOL_USE)) {
            String fragment = delta.get(TOOL_USE).path("input").asText("");
            if (fragment.isEmpty() || block == null) {
                return;
            }
            if (block.kind == Kind.TOOL) {
                out.add(chunks.toolCallArguments(block.toolIndex, fragment));
            } else if (block.kind == Kind.JSON_TOOL) {
                out.add(chunks.text(fragment));
            }
        } else if (delta.has(REASONING)) {
            JsonNode reasoning = delta.get(REASONING);
            if (block == null || block.kind != Kind.THINKING) {
                block = new ClaudeBlock(Kind.THINKING, -1);
                blocks.put(index, block);
            }
            if (reasoning.path("text").isTextual()) {
                String text = reasoning.get("text").asText();
                if (!text.isEmpty()) {
                    block.think(text);
                    out.add(chunks.reasoning(text));
                }
            }
            if (reasoning.path("signature").isTextual()) {
                block.sign(reasoning.get("signature").asText());
            }
            if (reasoning.path(REDACTED).isTextual()) {
                out.add(chunks.field(THINKING_BLOCKS,
                        ClaudeBlock.redactedThinking(mapper.getNodeFactory(), reasoning.get(REDACTED).asText())));
            }
        }
    }

    private void blockStop(ClaudeBlock block, List<ChatChunk> out) {
        ArrayNode signed = block == null ? null : block.signedThinking(mapper.getNodeFactory());
        if (signed != null) {
            out.add(chunks.field(THINKING_BLOCKS, signed));
        }
    }
}
