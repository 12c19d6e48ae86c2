package dev.sluice.provider.gemini;

/**
 * The vocabulary of Google's Gemini API ({@code generativelanguage.googleapis.com}) that this adapter reads and
 * writes: paths, headers, roles, part fields, finish reasons and block reasons. Private to the adapter.
 */
final class GeminiWire {

    static final String API_KEY_HEADER = "x-goog-api-key";
    static final String MODELS_PREFIX = "models/";
    static final String GENERATE = ":generateContent";
    static final String STREAM = ":streamGenerateContent?alt=sse";
    static final String EMBED = ":embedContent";
    static final String BATCH_EMBED = ":batchEmbedContents";

    // roles
    static final String USER = "user";
    static final String MODEL = "model";

    // parts
    static final String TEXT = "text";
    static final String THOUGHT = "thought";
    static final String THOUGHT_SIGNATURE = "thoughtSignature";
    static final String INLINE_DATA = "inlineData";
    static final String FILE_DATA = "fileData";
    static final String FUNCTION_CALL = "functionCall";
    static final String FUNCTION_RESPONSE = "functionResponse";
    static final String EXECUTABLE_CODE = "executableCode";
    static final String CODE_EXECUTION_RESULT = "codeExecutionResult";

    // candidate fields
    static final String GROUNDING_METADATA = "groundingMetadata";

    // tools
    static final String GOOGLE_SEARCH = "googleSearch";

    // response modalities
    static final String RESPONSE_MODALITIES = "responseModalities";

    // function calling modes
    static final String AUTO = "AUTO";
    static final String ANY = "ANY";
    static final String NONE = "NONE";

    // finish reasons
    static final String STOP = "STOP";
    static final String MAX_TOKENS = "MAX_TOKENS";

    /** The documented value that lets a function call without a real thought signature pass validation. */
    static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

    /** Where an OpenAI tool call carries Gemini's thought signature, as Google's own OpenAI-compatible API does. */
    static final String EXTRA_CONTENT = "extra_content";
    static final String GOOGLE = "google";
    static final String THOUGHT_SIGNATURE_FIELD = "thought_signature";

    private GeminiWire() {
    }
}
