package dev.sluice.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatCompletionRequest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one translating adapter does with the OpenAI chat parameters, stated as data: each row names a parameter,
 * how the adapter treats it (mapped, ignored, refused) and, where a value is beyond what the upstream can do, the
 * condition and the reason of the 400. One checker applies every adapter's table, so a refusal reads the same
 * everywhere ({@link Unsupported}) and a reader sees at a glance what an upstream supports.
 *
 * <p>Rows are checked in the order they are declared: the first refused parameter is the one the 400 names.
 */
public final class ParameterPolicy {

    /** How an adapter treats a parameter. */
    public enum Treatment {
        /** Translated into the upstream's own field (possibly refused beyond a limit). */
        MAPPED,
        /** Accepted and not sent, as docs/providers.md documents. */
        IGNORED,
        /** Never honoured: a value that asks for it is a 400. */
        REFUSED
    }

    /**
     * What a message may hold that an upstream may not take, each refused with the adapter's own reason (a
     * {@code {value}} in it is replaced by what the request held: the role, the part type, the media type).
     */
    public enum Content {
        /** A system or developer message part other than text. */
        SYSTEM_PART,
        /** An assistant message part other than text and refusals. */
        ASSISTANT_PART,
        /** A tool message part the upstream cannot carry in a tool result. */
        TOOL_RESULT_PART,
        /** An {@code input_audio} part. */
        AUDIO_INPUT,
        /** A part of a type the upstream does not know. */
        OTHER_PART,
        /** An image of a media type the upstream does not take. */
        IMAGE_TYPE,
        /** A file of a media type the upstream does not take. */
        DOCUMENT_TYPE,
        /** A file sent by OpenAI file id. */
        FILE_ID,
        /** A tool other than a function. */
        TOOL_TYPE,
        /** A message role the upstream has no place for. */
        ROLE
    }

    /**
     * When a request asks more of a parameter than the upstream can give.
     */
    @FunctionalInterface
    public interface Limit {
        /** The offending value, or null when the request stays within the limit. */
        Object offending(ChatCompletionRequest request, ObjectNode tree);
    }

    /**
     * One parameter of the table.
     *
     * @param param     the request field, in OpenAI's notation
     * @param treatment what the adapter does with it
     * @param limit     when the request is refused (null: never)
     * @param reason    the reason given in the 400; {@code {value}} is replaced by the offending value
     */
    public record Rule(String param, Treatment treatment, Limit limit, String reason) {
    }

    private final List<Rule> rules;
    private final Map<Content, String> content;

    private ParameterPolicy(List<Rule> rules, Map<Content, String> content) {
        this.rules = List.copyOf(rules);
        this.content = content.isEmpty() ? Map.of() : new EnumMap<>(content);
    }

    /**
     * A table for one upstream, starting with the refusals every translating adapter words the same way (assistant
     * parts other than text, OpenAI file ids, tools other than functions), each naming {@code upstream}.
     */
    public static Builder builder(String upstream) {
        return new Builder()
                .refusedContent(Content.ASSISTANT_PART, "an assistant turn sent to " + upstream
                        + " holds only text and tool calls")
                .refusedContent(Content.FILE_ID, "OpenAI file ids mean nothing to " + upstream
                        + "; send the file inline as file_data")
                .refusedContent(Content.TOOL_TYPE, "only function tools can be sent to " + upstream);
    }

    /** The rows of the table, in checking order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The treatment of a parameter, or null when the table does not name it. */
    public Treatment treatment(String param) {
        return rules.stream().filter(r -> r.param().equals(param)).map(Rule::treatment).findFirst().orElse(null);
    }

    /** Whether the upstream refuses this kind of content. */
    public boolean refuses(Content what) {
        return content.containsKey(what);
    }

    /**
     * The 400 for content the upstream cannot take.
     *
     * @param param where in the request it is
     * @param value what it held (named in the reason where the reason says {@code {value}}), or null
     */
    public ApiException refusal(String provider, Content what, String param, Object value) {
        String reason = content.get(what);
        if (reason == null) {
            throw new IllegalStateException("no reason is declared for refusing " + what);
        }
        return Unsupported.parameter(provider, param, reason.replace("{value}", String.valueOf(value)));
    }

    /**
     * Fails with the 400 of the first row whose limit the request crosses.
     *
     * @param provider the configured provider name, named in the message
     */
    public void check(String provider, ChatCompletionRequest request, ObjectNode tree) {
        for (Rule rule : rules) {
            if (rule.limit() == null) {
                continue;
            }
            Object offending = rule.limit().offending(request, tree);
            if (offending != null) {
                throw Unsupported.parameter(provider, rule.param(),
                        rule.reason().replace("{value}", String.valueOf(offending)));
            }
        }
    }

    /** Builds a table row by row. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private final Map<Content, String> content = new EnumMap<>(Content.class);

        private Builder() {
        }

        /** Translated, with no value the upstream cannot take. */
        public Builder mapped(String... params) {
            for (String param : params) {
                rules.add(new Rule(param, Treatment.MAPPED, null, null));
            }
            return this;
        }

        /** Translated, refused beyond {@code limit}. */
        public Builder mapped(String param, Limit limit, String reason) {
            rules.add(new Rule(param, Treatment.MAPPED, limit, reason));
            return this;
        }

        /** Accepted and not sent. */
        public Builder ignored(String... params) {
            for (String param : params) {
                rules.add(new Rule(param, Treatment.IGNORED, null, null));
            }
            return this;
        }

        /** Refused whenever {@code limit} finds a value asking for it. */
        public Builder refused(String param, Limit limit, String reason) {
            rules.add(new Rule(param, Treatment.REFUSED, limit, reason));
            return this;
        }

        /** Content the upstream cannot take, and why. */
        public Builder refusedContent(Content what, String reason) {
            content.put(what, reason);
            return this;
        }

        public ParameterPolicy build() {
            return new ParameterPolicy(rules, content);
        }
    }

    // ---- limits the adapters share ----------------------------------------------------------------------

    /** The field is present and not null. */
    public static Limit present(String field) {
        return (request, tree) -> tree.hasNonNull(field) ? tree.get(field) : null;
    }

    /** The field is an object with at least one entry (an empty {@code logit_bias} asks nothing). */
    public static Limit nonEmptyObject(String field) {
        return (request, tree) -> {
            JsonNode value = tree.get(field);
            return value != null && value.isObject() && !value.isEmpty() ? value : null;
        };
    }

    /** The typed field is set at all. */
    public static Limit set(Function<ChatCompletionRequest, ?> field) {
        return (request, tree) -> field.apply(request);
    }

    /** The typed flag is true. */
    public static Limit enabled(Function<ChatCompletionRequest, Boolean> field) {
        return (request, tree) -> Boolean.TRUE.equals(field.apply(request)) ? Boolean.TRUE : null;
    }

    /** The typed number is above {@code max}. */
    public static Limit above(Function<ChatCompletionRequest, ? extends Number> field, double max) {
        return (request, tree) -> {
            Number value = field.apply(request);
            return value != null && value.doubleValue() > max ? value : null;
        };
    }

    /** The typed number is set and not zero. */
    public static Limit nonZero(Function<ChatCompletionRequest, ? extends Number> field) {
        return (request, tree) -> {
            Number value = field.apply(request);
            return value != null && value.doubleValue() != 0 ? value : null;
        };
    }

    /** The typed whole number does not fit in 32 bits. */
    public static Limit beyondInt(Function<ChatCompletionRequest, Long> field) {
        return (request, tree) -> {
            Long value = field.apply(request);
            return value != null && (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) ? value : null;
        };
    }

    /** An element of the array field other than {@code allowed} (as JSON, e.g. {@code "audio"} with quotes). */
    public static Limit otherThan(String field, Set<String> allowed) {
        return (request, tree) -> {
            JsonNode values = tree.get(field);
            if (values != null && values.isArray()) {
                for (JsonNode value : values) {
                    if (!allowed.contains(value.asText())) {
                        return value;
                    }
                }
            }
            return null;
        };
    }
}
