package dev.sluice.provider;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sluice.testing.JsonAssert;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.sluice.provider.RequestFieldCoverageTest.Outcome.IGNORED;
import static dev.sluice.provider.RequestFieldCoverageTest.Outcome.REJECTED;
import static dev.sluice.provider.RequestFieldCoverageTest.Outcome.SLUICE;
import static dev.sluice.provider.RequestFieldCoverageTest.Outcome.TRANSLATED;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every field of OpenAI's chat-completions request (the list is read from the official Java SDK's
 * {@code ChatCompletionCreateParams}, so a field OpenAI adds fails this test until it is classified) walked through
 * every native adapter: each is either translated (the upstream request changes), refused with a 400 naming it
 * before anything is sent, or ignored — and the field table of docs/providers.md says which, cell by cell. A field can no
 * longer be dropped without anyone deciding so.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RequestFieldCoverageTest {

    enum Outcome {
        /** The upstream request changes (for Azure: the field arrives unchanged). */
        TRANSLATED,
        /** A 400 {@code unsupported_parameter} naming the field; nothing reaches the upstream. */
        REJECTED,
        /** Accepted and not sent, as the field table documents ("ignored"). */
        IGNORED,
        /** Honoured by Sluice itself rather than the upstream (docs/providers.md says how). */
        SLUICE
    }

    /** One adapter under test: the model that reaches it, where its mock listens, a minimal answer. */
    record Adapter(String column, String model, String path, String answer) {
    }

    static final Adapter ANTHROPIC = new Adapter("Anthropic", "anthropic/claude-sonnet-4-5", "/anthropic/v1/messages",
            """
            {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
             "content": [{"type": "text", "text": "Hi"}], "stop_reason": "end_turn",
             "usage": {"input_tokens": 5, "output_tokens": 1}}
            """);
    static final Adapter AZURE = new Adapter("Azure OpenAI", "azure/gpt-4o",
            "/azure/openai/deployments/prod-gpt4o/chat/completions", """
            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}
            """);
    static final Adapter GEMINI = new Adapter("Gemini", "gemini/gemini-2.5-flash",
            "/gemini/v1beta/models/gemini-2.5-flash:generateContent", """
            {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hi"}]}, "finishReason": "STOP",
                             "index": 0}],
             "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 1, "totalTokenCount": 6},
             "modelVersion": "gemini-2.5-flash", "responseId": "resp1"}
            """);
    static final Adapter BEDROCK = new Adapter("Bedrock", "bedrock/anthropic.claude-sonnet-4-20250514-v1:0",
            "/bedrock/model/anthropic.claude-sonnet-4-20250514-v1%3A0/converse", """
            {"output": {"message": {"role": "assistant", "content": [{"text": "Hi"}]}}, "stopReason": "end_turn",
             "usage": {"inputTokens": 5, "outputTokens": 1, "totalTokens": 6}}
            """);
    static final List<Adapter> ADAPTERS = List.of(ANTHROPIC, AZURE, GEMINI, BEDROCK);

    static final String TOOLS = """
            [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
            """;
    static final String FUNCTIONS = """
            [{"name": "get_weather", "description": "Weather of a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
            """;

    /**
     * One field: a value a client would send, the fields it needs beside it (compared against the same request
     * without the field), and what each adapter does with it.
     */
    record Field(String name, String value, Map<String, String> companions, Outcome anthropic, Outcome azure,
                 Outcome gemini, Outcome bedrock) {
        Outcome expected(Adapter adapter) {
            return adapter == ANTHROPIC ? anthropic : adapter == AZURE ? azure : adapter == GEMINI ? gemini : bedrock;
        }
    }

    private static Field field(String name, String value, Outcome anthropic, Outcome azure, Outcome gemini,
                               Outcome bedrock) {
        return new Field(name, value, Map.of(), anthropic, azure, gemini, bedrock);
    }

    private static Field field(String name, String value, Map<String, String> companions, Outcome anthropic,
                               Outcome azure, Outcome gemini, Outcome bedrock) {
        return new Field(name, value, companions, anthropic, azure, gemini, bedrock);
    }

    static final List<Field> FIELDS = List.of(
            field("audio", "{\"voice\": \"alloy\", \"format\": \"wav\"}", REJECTED, TRANSLATED, REJECTED, REJECTED),
            field("frequency_penalty", "0.5", IGNORED, TRANSLATED, TRANSLATED, REJECTED),
            field("function_call", "{\"name\": \"get_weather\"}", Map.of("functions", FUNCTIONS),
                    TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("functions", FUNCTIONS, TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("logit_bias", "{\"50256\": -100}", REJECTED, TRANSLATED, REJECTED, REJECTED),
            field("logprobs", "true", REJECTED, TRANSLATED, TRANSLATED, REJECTED),
            field("max_completion_tokens", "100", TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("max_tokens", "100", TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("metadata", "{\"team\": \"search\"}", IGNORED, TRANSLATED, IGNORED, TRANSLATED),
            field("modalities", "[\"text\", \"image\"]", REJECTED, TRANSLATED, TRANSLATED, REJECTED),
            field("moderation", """
                    {"model": "omni-moderation-latest", "policy": {"input": {"mode": "block"}, "output": {"mode": "block"}}}
                    """, REJECTED, TRANSLATED, REJECTED, REJECTED),
            field("n", "2", REJECTED, TRANSLATED, TRANSLATED, REJECTED),
            field("parallel_tool_calls", "false", Map.of("tools", TOOLS), TRANSLATED, TRANSLATED, IGNORED, IGNORED),
            field("prediction", "{\"type\": \"content\", \"content\": \"Hello there\"}",
                    IGNORED, TRANSLATED, IGNORED, IGNORED),
            field("presence_penalty", "0.5", IGNORED, TRANSLATED, TRANSLATED, REJECTED),
            field("prompt_cache_key", "\"tenant-42\"", IGNORED, TRANSLATED, IGNORED, IGNORED),
            field("prompt_cache_options", "{\"mode\": \"explicit\", \"ttl\": \"30m\"}",
                    IGNORED, TRANSLATED, IGNORED, IGNORED),
            field("prompt_cache_retention", "\"24h\"", IGNORED, TRANSLATED, IGNORED, IGNORED),
            field("reasoning_effort", "\"low\"", TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("response_format", """
                    {"type": "json_schema", "json_schema": {"name": "city", "schema": {"type": "object",
                     "properties": {"name": {"type": "string"}}, "required": ["name"]}}}
                    """, TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("safety_identifier", "\"user-7f3a\"", TRANSLATED, TRANSLATED, IGNORED, TRANSLATED),
            field("seed", "7", IGNORED, TRANSLATED, TRANSLATED, IGNORED),
            field("service_tier", "\"flex\"", IGNORED, TRANSLATED, IGNORED, TRANSLATED),
            field("stop", "[\"END\"]", TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("store", "true", IGNORED, TRANSLATED, IGNORED, IGNORED),
            field("stream_options", "{\"include_usage\": true}", SLUICE, TRANSLATED, SLUICE, SLUICE),
            field("temperature", "0.5", TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("tool_choice", "\"required\"", Map.of("tools", TOOLS), TRANSLATED, TRANSLATED, TRANSLATED,
                    TRANSLATED),
            field("tools", TOOLS, TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("top_logprobs", "3", Map.of("logprobs", "true"), REJECTED, TRANSLATED, TRANSLATED, REJECTED),
            field("top_p", "0.9", TRANSLATED, TRANSLATED, TRANSLATED, TRANSLATED),
            field("user", "\"user-42\"", TRANSLATED, TRANSLATED, IGNORED, TRANSLATED),
            field("verbosity", "\"low\"", IGNORED, TRANSLATED, IGNORED, IGNORED),
            field("web_search_options", """
                    {"search_context_size": "low", "user_location": {"type": "approximate",
                     "approximate": {"city": "Paris", "country": "FR"}}}
                    """, TRANSLATED, TRANSLATED, TRANSLATED, REJECTED));

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        for (Adapter a : ADAPTERS) {
            MockUpstream.on("POST", a.path(), MockUpstream.json(200, a.answer()));
        }
    }

    @Test
    void theTableCoversEveryRequestFieldOfOpenAisSdk() {
        Set<String> sdk = new TreeSet<>();
        for (Method m : ChatCompletionCreateParams.Body.class.getDeclaredMethods()) {
            JsonProperty property = m.getAnnotation(JsonProperty.class);
            if (property != null) {
                sdk.add(property.value());
            }
        }
        // every request carries these two; every test of the adapters exercises them
        sdk.remove("model");
        sdk.remove("messages");
        Set<String> table = new TreeSet<>();
        FIELDS.forEach(f -> table.add(f.name()));
        assertEquals(sdk, table, "classify every field of the SDK's request in FIELDS (and the docs' field table)");
    }

    @Test
    void everyFieldIsTranslatedRefusedOrIgnoredAsTheReadmeSays() throws IOException {
        Map<String, Map<String, String>> readme = readmeTable();
        List<String> problems = new ArrayList<>();
        for (Field field : FIELDS) {
            Map<String, String> row = readme.get(field.name());
            if (row == null) {
                problems.add("docs/providers.md: no row of the field table names `" + field.name() + "`");
            }
            for (Adapter adapter : ADAPTERS) {
                Outcome expected = field.expected(adapter);
                Outcome actual = outcome(adapter, field, problems);
                if (actual != expected) {
                    problems.add(adapter.column() + " / " + field.name() + ": expected " + expected + ", got " + actual);
                }
                if (row != null) {
                    String cell = row.get(adapter.column());
                    String documented = switch (expected) {
                        case IGNORED -> cell.contains("ignored") ? null : "say it is ignored";
                        case REJECTED -> cell.contains("400") ? null : "say it is a 400";
                        case SLUICE -> cell.contains("usage chunk") ? null : "say what Sluice does with it";
                        case TRANSLATED -> cell.startsWith("ignored") || cell.equals("400") ? "say what it becomes"
                                : null;
                    };
                    if (documented != null) {
                        problems.add("docs/providers.md: the " + adapter.column() + " cell of `" + field.name() + "` should "
                                + documented + ": " + cell);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static Response chat(String body) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions");
    }

    private static String request(Adapter adapter, Field field, boolean withField) {
        StringBuilder body = new StringBuilder("{\"model\": \"" + adapter.model() + "\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Weather in Paris?\"}]");
        field.companions().forEach((k, v) -> body.append(", \"").append(k).append("\": ").append(v.strip()));
        if (withField) {
            body.append(", \"").append(field.name()).append("\": ").append(field.value().strip());
        }
        return body.append('}').toString();
    }

    /** What the adapter did with the field, read from the status, the error and what the upstream received. */
    private static Outcome outcome(Adapter adapter, Field field, List<String> problems) {
        MockUpstream.reset();
        MockUpstream.on("POST", adapter.path(), MockUpstream.json(200, adapter.answer()));
        Response with = chat(request(adapter, field, true));
        String where = adapter.column() + " / " + field.name() + ": ";
        if (with.statusCode() == 400) {
            String param = with.jsonPath().getString("error.param");
            String code = with.jsonPath().getString("error.code");
            boolean names = param != null && (param.equals(field.name()) || param.startsWith(field.name() + ".")
                    || param.startsWith(field.name() + "["));
            if (!names || !"unsupported_parameter".equals(code)) {
                problems.add(where + "a 400 that does not name the field as unsupported: " + with.asString());
            }
            if (MockUpstream.received().stream().anyMatch(r -> r.path().equals(adapter.path()))) {
                problems.add(where + "refused, yet the upstream was called");
            }
            return REJECTED;
        }
        if (with.statusCode() != 200) {
            problems.add(where + "HTTP " + with.statusCode() + ": " + with.asString());
            return null;
        }
        JsonNode sent = JsonAssert.parse(MockUpstream.last(adapter.path()).body());
        if (adapter == AZURE) {
            // the OpenAI dialect relays the client's body: the field must arrive as it was sent
            return JsonAssert.parse(field.value()).equals(sent.get(field.name())) ? TRANSLATED : IGNORED;
        }
        MockUpstream.reset();
        MockUpstream.on("POST", adapter.path(), MockUpstream.json(200, adapter.answer()));
        chat(request(adapter, field, false)).then().statusCode(200);
        JsonNode without = JsonAssert.parse(MockUpstream.last(adapter.path()).body());
        if (!sent.equals(without)) {
            return TRANSLATED;
        }
        return "stream_options".equals(field.name()) ? SLUICE : IGNORED;
    }

    /**
     * The "What each OpenAI request field becomes" table: for every field a row's first cell names in
     * backticks, the row's cells by column title.
     */
    static Map<String, Map<String, String>> readmeTable() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docs/providers.md"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("What each OpenAI request field becomes")) {
                start = i;
                break;
            }
        }
        assertTrue(start >= 0, "docs/providers.md has the field table");
        int header = start + 1;
        while (!lines.get(header).startsWith("|")) {
            header++;
        }
        String[] titles = cells(lines.get(header));
        Map<String, Map<String, String>> rows = new java.util.HashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = cells(lines.get(i));
            Map<String, String> row = new java.util.HashMap<>();
            for (int c = 1; c < titles.length && c < cells.length; c++) {
                row.put(titles[c], cells[c]);
            }
            // the fields a row is about: those its first cell names outside parentheses
            String about = cells[0].replaceAll("\\([^)]*\\)", "");
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("`([a-z_]+)`").matcher(about);
            while (named.find()) {
                rows.putIfAbsent(named.group(1), row);
            }
        }
        return rows;
    }

    private static String[] cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.length() - 1);
        String[] cells = inner.split("\\|");
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }
}
