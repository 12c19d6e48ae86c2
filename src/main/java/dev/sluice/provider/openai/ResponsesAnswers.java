package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.Annotations;
import dev.sluice.openai.ChatChunk;
import dev.sluice.openai.CompletionBuilder;
import dev.sluice.openai.FinishReason;
import dev.sluice.provider.SseEvent;
import dev.sluice.openai.StreamChunks;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.openai.TokenUsage;
import dev.sluice.provider.UpstreamErrors;
import dev.sluice.provider.UpstreamException;

import java.util.List;

/**
 * The OpenAI view of an answer from OpenAI's Responses API, for a request passed through to it: what interceptors
 * and billing read while the client receives the upstream's own bytes. A Response object becomes a
 * {@code chat.completion}; the Responses events become chat chunks (text, reasoning summaries, function calls, and
 * the usage of {@code response.completed}, with cached and reasoning tokens).
 */
final class ResponsesAnswers {

    private ResponsesAnswers() {
    }

    /** A whole Response object as a chat completion. */
    static ObjectNode completion(JsonNode response, JsonNodeFactory json) {
        CompletionBuilder out = new CompletionBuilder(json, response.path("id").asText(),
                response.path("created_at").asLong(), response.path("model").asText());
        boolean calls = false;
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        if ("output_text".equals(part.path("type").asText())) {
                            int start = out.textLength();
                            for (JsonNode a : part.path("annotations")) {
                                if (Annotations.URL_CITATION.equals(a.path("type").asText())) {
                                    out.annotation(Annotations.urlCitation(json,
                                            start + a.path("start_index").asInt(), start + a.path("end_index").asInt(),
                                            a.path("url").asText(), a.path("title").asText(null)));
                                }
                            }
                            out.text(part.path("text").asText());
                        } else if ("refusal".equals(part.path("type").asText())) {
                            out.text(part.path("refusal").asText());
                        }
                    }
                }
                case "reasoning" -> {
                    for (JsonNode s : item.path("summary")) {
                        out.reasoning(s.path("text").asText());
                    }
                }
                case "function_call" -> {
                    calls = true;
                    out.toolCall(item.path("call_id").asText(), item.path("name").asText(),
                            item.path("arguments").asText());
                }
                default -> {
                    // built-in tool calls ran on OpenAI's side; they have no chat form
                }
            }
        }
        out.finish(finish(response, calls));
        out.usage(usage(response.path("usage")));
        return out.build();
    }

    static FinishReason finish(JsonNode response, boolean calls) {
        if ("incomplete".equals(response.path("status").asText())) {
            return "content_filter".equals(response.path("incomplete_details").path("reason").asText())
                    ? FinishReason.CONTENT_FILTER : FinishReason.LENGTH;
        }
        return calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }

    static TokenUsage usage(JsonNode usage) {
        return new TokenUsage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0),
                usage.path("input_tokens_details").path("cached_tokens").asLong(0), 0,
                usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
    }

    /** Responses events → chat chunks, one stream at a time. */
    static final class Stream implements StreamTranslator<SseEvent> {

        private final String provider;
        private final ObjectMapper mapper;
        private final StreamChunks chunks;
        private int tools = -1;
        private boolean calls;
        private boolean done;

        Stream(String provider, ObjectMapper mapper, String model) {
            this.provider = provider;
            this.mapper = mapper;
            this.chunks = new StreamChunks(mapper, "resp", System.currentTimeMillis() / 1000, model);
        }

        @Override
        public void onEvent(SseEvent event, List<ChatChunk> out) {
            ObjectNode data;
            try {
                data = (ObjectNode) mapper.readTree(event.data().getBytes());
            } catch (java.io.IOException | ClassCastException e) {
                throw UpstreamException.badResponse(provider, "a Responses stream event is not JSON");
            }
            String type = data.path("type").asText(event.event() == null ? "" : event.event());
            switch (type) {
                case "response.created" -> chunks.identify(data.path("response").path("id").asText(null),
                        data.path("response").path("model").asText(null));
                case "response.output_text.delta" -> out.add(chunks.text(data.path("delta").asText()));
                case "response.reasoning_summary_text.delta" ->
                        out.add(chunks.reasoning(data.path("delta").asText()));
                case "response.output_item.added" -> {
                    JsonNode item = data.path("item");
                    if ("function_call".equals(item.path("type").asText())) {
                        calls = true;
                        out.add(chunks.toolCallStart(++tools, item.path("call_id").asText(),
                                item.path("name").asText(), item.path("arguments").asText("")));
                    }
                }
                case "response.function_call_arguments.delta" ->
                        out.add(chunks.toolCallArguments(Math.max(tools, 0), data.path("delta").asText()));
                case "response.completed", "response.incomplete" -> {
                    done = true;
                    JsonNode response = data.path("response");
                    out.add(chunks.finish(finish(response, calls)));
                    out.add(chunks.usage(usage(response.path("usage")), true));
                }
                case "response.failed", "error" -> {
                    JsonNode error = data.has("response") ? data.path("response").path("error") : data;
                    ObjectNode envelope = mapper.createObjectNode();
                    envelope.putObject("error").put("message", error.path("message").asText("The provider failed"))
                            .put("type", "server_error").put("code", error.path("code").asText(null));
                    throw UpstreamErrors.from(provider, 500, h -> null, envelope.toString().getBytes(), mapper);
                }
                default -> {
                    // item and part boundaries, in_progress: relayed to the client, nothing for the chat view
                }
            }
        }

        @Override
        public void onEnd(List<ChatChunk> out) {
            if (!done) {
                throw UpstreamException.badResponse(provider, "the Responses stream ended before response.completed");
            }
        }
    }
}
