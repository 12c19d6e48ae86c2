package dev.sluice.provider.anthropic;

import dev.sluice.anthropic.AnthropicWire;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.openai.Annotations;
import dev.sluice.provider.CallContext;
import dev.sluice.provider.ClaudeBlock;
import dev.sluice.provider.ClaudeBlock.Kind;
import dev.sluice.openai.ChatChunk;
import dev.sluice.openai.FinishReason;
import dev.sluice.provider.SseEvent;
import dev.sluice.openai.StreamChunks;
import dev.sluice.provider.EventTranslator;
import dev.sluice.provider.UsageFields;
import dev.sluice.openai.TokenUsage;
import dev.sluice.provider.UpstreamException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.anthropic.AnthropicWire.CITATIONS_DELTA;
import static dev.sluice.anthropic.AnthropicWire.CONTENT_BLOCK_DELTA;
import static dev.sluice.anthropic.AnthropicWire.CONTENT_BLOCK_START;
import static dev.sluice.anthropic.AnthropicWire.CONTENT_BLOCK_STOP;
import static dev.sluice.anthropic.AnthropicWire.ERROR;
import static dev.sluice.anthropic.AnthropicWire.INPUT_JSON_DELTA;
import static dev.sluice.anthropic.AnthropicWire.MESSAGE_DELTA;
import static dev.sluice.anthropic.AnthropicWire.MESSAGE_START;
import static dev.sluice.anthropic.AnthropicWire.MESSAGE_STOP;
import static dev.sluice.anthropic.AnthropicWire.REDACTED_THINKING;
import static dev.sluice.anthropic.AnthropicWire.SIGNATURE_DELTA;
import static dev.sluice.anthropic.AnthropicWire.TEXT;
import static dev.sluice.anthropic.AnthropicWire.TEXT_DELTA;
import static dev.sluice.anthropic.AnthropicWire.THINKING;
import static dev.sluice.anthropic.AnthropicWire.THINKING_BLOCKS;
import static dev.sluice.anthropic.AnthropicWire.THINKING_DELTA;
import static dev.sluice.anthropic.AnthropicWire.TOOL_USE;

/**
 * Anthropic's stream events, translated one by one into OpenAI chunks as they arrive:
 *
 * <ul>
 *   <li>{@code message_start}: the opening chunk ({@code role: assistant}); input and cache token counts noted;</li>
 *   <li>{@code content_block_start} of a {@code tool_use}: the tool call's first delta (its OpenAI index, id and
 *       name); of {@code redacted_thinking}: a {@code thinking_blocks} delta;</li>
 *   <li>{@code content_block_delta}: {@code text_delta} → content, {@code input_json_delta} → the next fragment of
 *       the tool call's arguments (never accumulated), {@code thinking_delta} → {@code reasoning_content};
 *       {@code signature_delta} is kept for the block's end;</li>
 *   <li>{@code content_block_stop} of a signed thinking block: a {@code thinking_blocks} delta with the whole
 *       block, which clients send back in the next turn of a tool-use loop; of a text block that collected
 *       {@code citations_delta}s (web search): an {@code annotations} delta of {@code url_citation}s spanning the
 *       block's text;</li>
 *   <li>{@code message_delta}: the finish-reason chunk; the output token count noted;</li>
 *   <li>{@code message_stop}: the usage chunk (sent when the client asked with {@code include_usage}, recorded by
 *       the gateway always);</li>
 *   <li>{@code ping} and unknown events: nothing; {@code error}: the mapped {@link UpstreamException}.</li>
 * </ul>
 * A stream that ends without {@code message_stop} fails: it was cut, and must not look complete.
 */
final class AnthropicStreamTranslator extends EventTranslator<SseEvent, AnthropicErrors> {

    /** A Claude content block, with what a text block collects for web search's citations. */
    private static final class Block extends ClaudeBlock {
        /** Where a text block starts in the content (code points), and the citations it collected. */
        int start;
        ArrayNode citations;

        Block(Kind kind, int toolIndex) {
            super(kind, toolIndex);
        }
    }

    private final String jsonTool;
    private final boolean includeUsage;
    private final StreamChunks chunks;
    private final CallContext context;
    private final Map<Integer, Block> blocks = new HashMap<>(4);
    private int nextToolIndex;
    private boolean answeredThroughTool;
    private long inputTokens;
    private long cacheRead;
    private long cacheWrite;
    private long outputTokens;
    private boolean finished;
    private boolean stopped;
    /** The length of the content sent so far, in code points (where annotations point). */
    private int contentLength;

    /**
     * @param jsonTool     the forced tool carrying a structured answer (streamed as content), or null
     * @param includeUsage whether the client asked for the usage chunk
     * @param created      Unix seconds reported on every chunk
     * @param context      where the usage announced before the end of the stream is reported
     */
    AnthropicStreamTranslator(AnthropicErrors errors, String jsonTool, boolean includeUsage, long created,
                              CallContext context) {
        super(errors);
        this.context = context;
        this.jsonTool = jsonTool;
        this.includeUsage = includeUsage;
        this.chunks = new StreamChunks(mapper, "", created, "");
    }

    @Override
    public void onEvent(SseEvent event, List<ChatChunk> out) {
        JsonNode data = json(event.data().getBytes());
        String type = data == null ? "" : data.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case MESSAGE_START -> {
                JsonNode message = data.path("message");
                chunks.identify(message.path("id").asText(null), message.path("model").asText(null));
                usage(message.path("usage"));
                context.reportUsageSoFar(usageSoFar());
                out.add(chunks.start());
            }
            case CONTENT_BLOCK_START -> blockStart(data.path("index").asInt(), data.path("content_block"), out);
            case CONTENT_BLOCK_DELTA -> blockDelta(blocks.get(data.path("index").asInt()), data.path("delta"), out);
            case CONTENT_BLOCK_STOP -> blockStop(blocks.get(data.path("index").asInt()), out);
            case MESSAGE_DELTA -> {
                usage(data.path("usage"));
                context.reportUsageSoFar(usageSoFar());
                String stop = data.path("delta").path("stop_reason").asText(null);
                if (stop != null && !finished) {
                    finished = true;
                    out.add(chunks.finish(AnthropicResponseMapper.finishReason(stop, answeredThroughTool)));
                }
            }
            case MESSAGE_STOP -> {
                if (!finished) {
                    finished = true;
                    out.add(chunks.finish(FinishReason.STOP));
                }
                stopped = true;
                out.add(chunks.usage(usageSoFar(), includeUsage));
            }
            case ERROR -> throw errors.fromEvent(data);
            default -> {
                // ping, and event types added after this adapter was written: nothing for the client
            }
        }
    }

    @Override
    public void onEnd(List<ChatChunk> out) {
        if (!stopped) {
            throw cut("before message_stop");
        }
    }

    private void blockStart(int index, JsonNode block, List<ChatChunk> out) {
        switch (block.path("type").asText("")) {
            case TEXT -> {
                Block b = new Block(Kind.TEXT, -1);
                b.start = contentLength;
                b.citations = mapper.createArrayNode();
                blocks.put(index, b);
                String text = block.path("text").asText("");
                if (!text.isEmpty()) {
                    out.add(text(text));
                }
            }
            case TOOL_USE -> {
                JsonNode input = block.path("input");
                String initial = input.isObject() && !input.isEmpty() ? input.toString() : "";
                if (jsonTool != null && jsonTool.equals(block.path("name").asText())) {
                    blocks.put(index, new Block(Kind.JSON_TOOL, -1));
                    answeredThroughTool = true;
                    if (!initial.isEmpty()) {
                        out.add(text(initial));
                    }
                } else {
                    Block b = new Block(Kind.TOOL, nextToolIndex++);
                    blocks.put(index, b);
                    out.add(chunks.toolCallStart(b.toolIndex, block.path("id").asText(""),
                            block.path("name").asText(""), initial));
                }
            }
            case THINKING -> {
                Block b = new Block(Kind.THINKING, -1);
                blocks.put(index, b);
                String thinking = block.path("thinking").asText("");
                if (!thinking.isEmpty()) {
                    b.think(thinking);
                    out.add(chunks.reasoning(thinking));
                }
            }
            case REDACTED_THINKING -> {
                blocks.put(index, new Block(Kind.OTHER, -1));
                out.add(chunks.field(THINKING_BLOCKS,
                        ClaudeBlock.redactedThinking(mapper.getNodeFactory(), block.path("data").asText(""))));
            }
            default -> blocks.put(index, new Block(Kind.OTHER, -1));
        }
    }

    private void blockDelta(Block block, JsonNode delta, List<ChatChunk> out) {
        switch (delta.path("type").asText("")) {
            case TEXT_DELTA -> {
                String text = delta.path("text").asText("");
                if (!text.isEmpty()) {
                    out.add(text(text));
                }
            }
            case INPUT_JSON_DELTA -> {
                String fragment = delta.path("partial_json").asText("");
                if (fragment.isEmpty() || block == null) {
                    return;
                }
                if (block.kind == Kind.TOOL) {
                    out.add(chunks.toolCallArguments(block.toolIndex, fragment));
                } else if (block.kind == Kind.JSON_TOOL) {
                    out.add(text(fragment));
                }
            }
            case THINKING_DELTA -> {
                String thinking = delta.path("thinking").asText("");
                if (!thinking.isEmpty()) {
                    if (block != null) {
                        block.think(thinking);
                    }
                    out.add(chunks.reasoning(thinking));
                }
            }
            case CITATIONS_DELTA -> {
                if (block != null && block.citations != null) {
                    block.citations.add(delta.path("citation"));
                }
            }
            case SIGNATURE_DELTA -> {
                if (block != null) {
                    block.sign(delta.path("signature").asText(""));
                }
            }
            default -> {
                // delta types added after this adapter was written
            }
        }
    }

    private ChatChunk text(String fragment) {
        contentLength += Annotations.length(fragment);
        return chunks.text(fragment);
    }

    private void blockStop(Block block, List<ChatChunk> out) {
        if (block != null && block.kind == Kind.TEXT && !block.citations.isEmpty()) {
            ArrayNode annotations = mapper.createArrayNode();
            AnthropicResponseMapper.citations(block.citations, block.start, contentLength, mapper.getNodeFactory())
                    .forEach(annotations::add);
            if (!annotations.isEmpty()) {
                out.add(chunks.field("annotations", annotations));
            }
        }
        ArrayNode signed = block == null ? null : block.signedThinking(mapper.getNodeFactory());
        if (signed != null) {
            out.add(chunks.field(THINKING_BLOCKS, signed));
        }
    }

    /** Token counts arrive in message_start and message_delta; the latest value of each count wins. */
    private TokenUsage usageSoFar() {
        return UsageFields.usage(inputTokens, cacheRead, cacheWrite, outputTokens);
    }

    private void usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        if (usage.hasNonNull("input_tokens")) {
            inputTokens = usage.get("input_tokens").asLong();
        }
        if (usage.hasNonNull("cache_read_input_tokens")) {
            cacheRead = usage.get("cache_read_input_tokens").asLong();
        }
        if (usage.hasNonNull("cache_creation_input_tokens")) {
            cacheWrite = usage.get("cache_creation_input_tokens").asLong();
        }
        if (usage.hasNonNull("output_tokens")) {
            outputTokens = usage.get("output_tokens").asLong();
        }
    }
}
