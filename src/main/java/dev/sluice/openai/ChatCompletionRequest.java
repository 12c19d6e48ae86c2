package dev.sluice.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;
import java.util.Map;

/**
 * The typed, validated view of an OpenAI chat-completions request body.
 *
 * <p>It is a view, not the request: the JSON tree the client sent stays the source of truth and is what
 * OpenAI-compatible upstreams receive, so fields Sluice does not model here still reach them unchanged. Native
 * adapters read this view to translate. Constraints follow OpenAI's API reference; property names in violations
 * are the wire (snake_case) names.
 */
@RegisterForReflection
@OpenAiJson
public record ChatCompletionRequest(
        @NotBlank String model,
        @NotEmpty List<@NotNull @Valid Message> messages,
        Boolean stream,
        @Valid StreamOptions streamOptions,
        @DecimalMin("0") @DecimalMax("2") Double temperature,
        @DecimalMin("0") @DecimalMax("1") Double topP,
        @Min(1) Integer topK,
        @Min(1) @Max(128) Integer n,
        @Min(1) Integer maxTokens,
        @Min(1) Integer maxCompletionTokens,
        @DecimalMin("-2") @DecimalMax("2") Double presencePenalty,
        @DecimalMin("-2") @DecimalMax("2") Double frequencyPenalty,
        Boolean logprobs,
        @Min(0) @Max(20) Integer topLogprobs,
        Long seed,
        JsonNode stop,
        List<@NotNull @Valid Tool> tools,
        JsonNode toolChoice,
        Boolean parallelToolCalls,
        @Valid ResponseFormat responseFormat,
        @Pattern(regexp = "none|minimal|low|medium|high|xhigh") String reasoningEffort,
        String user,
        Map<String, String> metadata) {

    public static final String ROLES = "system|developer|user|assistant|tool|function";

    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    public boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /** The output-token cap the client asked for, whichever of the two fields carried it. */
    public Integer outputTokenLimit() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    /** One message; {@code content} is a string, an array of content parts, or null. */
    @RegisterForReflection
    @OpenAiJson
    public record Message(
            @NotBlank @Pattern(regexp = ROLES, message = "must be one of system, developer, user, assistant, tool")
            String role,
            JsonNode content,
            String name,
            List<@NotNull @Valid ToolCall> toolCalls,
            /* the deprecated functions API's call of an assistant message */
            @Valid FunctionCall functionCall,
            String toolCallId,
            String refusal,
            String reasoningContent) {
    }

    @RegisterForReflection
    @OpenAiJson
    public record ToolCall(String id, @NotBlank String type, @Valid FunctionCall function) {
    }

    @RegisterForReflection
    @OpenAiJson
    public record FunctionCall(@NotBlank String name, String arguments) {
    }

    @RegisterForReflection
    @OpenAiJson
    public record Tool(@NotBlank String type, @Valid FunctionDefinition function) {
    }

    @RegisterForReflection
    @OpenAiJson
    public record FunctionDefinition(
            @NotBlank @Pattern(regexp = "[a-zA-Z0-9_.-]{1,128}", message = "must be 1-128 letters, digits, '_', '.' or '-'")
            String name,
            String description,
            JsonNode parameters,
            Boolean strict) {
    }

    @RegisterForReflection
    @OpenAiJson
    public record StreamOptions(Boolean includeUsage) {
    }

    @RegisterForReflection
    @OpenAiJson
    public record ResponseFormat(
            @NotBlank @Pattern(regexp = "text|json_object|json_schema", message = "must be text, json_object or json_schema")
            String type,
            @Valid JsonSchema jsonSchema) {
    }

    @RegisterForReflection
    @OpenAiJson
    public record JsonSchema(@NotBlank String name, String description, JsonNode schema, Boolean strict) {
    }
}
