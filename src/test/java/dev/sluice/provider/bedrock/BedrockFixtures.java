package dev.sluice.provider.bedrock;

import dev.sluice.testing.EventStream;

import java.util.List;

/**
 * Bedrock Converse wire cases, written after the examples of AWS's Bedrock API reference (Converse,
 * ConverseStream, tool use, reasoning, prompt caching, errors, ListFoundationModels, ListInferenceProfiles).
 * Stream fixtures are real event-stream frames, encoded by AWS's codec with the headers Bedrock sends.
 */
final class BedrockFixtures {

    private BedrockFixtures() {
    }

    /** Converse reference: a text answer. */
    static final String TEXT = """
            {
              "output": {"message": {"role": "assistant", "content": [
                {"text": "The song \\"Elemental Hotel\\" by \\"8 Storey Hike\\" is the most popular on WZPZ."}]}},
              "stopReason": "end_turn",
              "usage": {"inputTokens": 30, "outputTokens": 628, "totalTokens": 658},
              "metrics": {"latencyMs": 1275}
            }
            """;

    /** Tool use guide: text, then a call of top_song. */
    static final String TOOL_USE = """
            {
              "output": {"message": {"role": "assistant", "content": [
                {"text": "I'll look up the most popular song on WZPZ."},
                {"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "name": "top_song", "input": {"sign": "WZPZ"}}}]}},
              "stopReason": "tool_use",
              "usage": {"inputTokens": 375, "outputTokens": 58, "totalTokens": 433},
              "metrics": {"latencyMs": 1032}
            }
            """;

    /** Reasoning guide (Claude 3.7 on Bedrock): signed reasoning, then the answer; prompt caching counts. */
    static final String REASONING = """
            {
              "output": {"message": {"role": "assistant", "content": [
                {"reasoningContent": {"reasoningText": {"text": "The user asks for the best-selling song; 2023 charts...",
                                                        "signature": "ErcBCkgIAhABGAIiQMuHe1Jv5jE"}}},
                {"text": "The best-selling song of 2023 was \\"Flowers\\" by Miley Cyrus."}]}},
              "stopReason": "max_tokens",
              "usage": {"inputTokens": 12, "outputTokens": 400, "totalTokens": 3512, "cacheReadInputTokens": 3000,
                        "cacheWriteInputTokens": 100},
              "metrics": {"latencyMs": 4210}
            }
            """;

    /** ConverseStream reference: text in three deltas, then the stop and the metadata events. */
    static List<byte[]> textStream() {
        return List.of(
                EventStream.event("messageStart", "{\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR\",\"role\":\"assistant\"}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcdefghijkl\"}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"! How can\"},\"p\":\"abcd\"}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" I help?\"},\"p\":\"abcdefgh\"}"),
                EventStream.event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnop\"}"),
                EventStream.event("messageStop", "{\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEF\",\"stopReason\":\"end_turn\"}"),
                EventStream.event("metadata", "{\"metrics\":{\"latencyMs\":395},\"p\":\"abc\",\"usage\":{\"inputTokens\":12,"
                        + "\"outputTokens\":9,\"totalTokens\":21,\"cacheReadInputTokens\":4,\"cacheWriteInputTokens\":0}}"));
    }

    /** Tool use while streaming: the input JSON split over several deltas. */
    static List<byte[]> toolStream() {
        return List.of(
                EventStream.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Looking it up.\"}}"),
                EventStream.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                EventStream.event("contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":"
                        + "{\"name\":\"top_song\",\"toolUseId\":\"tooluse_3f7Qq2cWRbCnHjQyCCpq8A\"}}}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\"}}}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"si\"}}}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"gn\\\": \\\"WZ\"}}}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"PZ\\\"}\"}}}"),
                EventStream.event("contentBlockStop", "{\"contentBlockIndex\":1}"),
                EventStream.event("messageStop", "{\"stopReason\":\"tool_use\"}"),
                EventStream.event("metadata", "{\"metrics\":{\"latencyMs\":812},\"usage\":{\"inputTokens\":375,"
                        + "\"outputTokens\":58,\"totalTokens\":433}}"));
    }

    /** Reasoning while streaming: reasoning text deltas, the signature, then the answer. */
    static List<byte[]> reasoningStream() {
        return List.of(
                EventStream.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Let me think\"}}}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\" about 2+2.\"}}}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"EqoBCkgIARABGAIiQ\"}}}"),
                EventStream.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"text\":\"4\"}}"),
                EventStream.event("contentBlockStop", "{\"contentBlockIndex\":1}"),
                EventStream.event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                EventStream.event("metadata", "{\"usage\":{\"inputTokens\":20,\"outputTokens\":30,\"totalTokens\":50}}"));
    }

    /** An exception frame after the stream started. */
    static List<byte[]> throttledStream() {
        return List.of(
                EventStream.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Once upon\"}}"),
                EventStream.exception("throttlingException", "{\"message\":\"Too many tokens, please wait before trying again.\"}"));
    }

    /** Errors reference: the body of an error, its name in x-amzn-ErrorType. */
    static String error(String message) {
        return "{\"message\":\"" + message + "\"}";
    }
}
