package dev.sluice.api.responses;

/**
 * The vocabulary of OpenAI's Responses API that Sluice reads and writes: item and part types, event names,
 * statuses. Constants, so that every wire string appears once.
 */
final class ResponsesWire {

    private ResponsesWire() {
    }

    static final String RESPONSE = "response";
    static final String MESSAGE = "message";
    static final String FUNCTION_CALL = "function_call";
    static final String FUNCTION_CALL_OUTPUT = "function_call_output";
    static final String REASONING = "reasoning";
    static final String ITEM_REFERENCE = "item_reference";
    static final String INPUT_TEXT = "input_text";
    static final String INPUT_IMAGE = "input_image";
    static final String INPUT_FILE = "input_file";
    static final String OUTPUT_TEXT = "output_text";
    static final String REFUSAL = "refusal";
    static final String SUMMARY_TEXT = "summary_text";
    static final String FUNCTION = "function";
    static final String NAMESPACE = "namespace";
    static final String URL_CITATION = "url_citation";

    static final String COMPLETED = "completed";
    static final String INCOMPLETE = "incomplete";
    static final String IN_PROGRESS = "in_progress";
    static final String FAILED = "failed";

    static final String CREATED_EVENT = "response.created";
    static final String IN_PROGRESS_EVENT = "response.in_progress";
    static final String COMPLETED_EVENT = "response.completed";
    static final String INCOMPLETE_EVENT = "response.incomplete";
    static final String FAILED_EVENT = "response.failed";
    static final String ITEM_ADDED = "response.output_item.added";
    static final String ITEM_DONE = "response.output_item.done";
    static final String PART_ADDED = "response.content_part.added";
    static final String PART_DONE = "response.content_part.done";
    static final String TEXT_DELTA = "response.output_text.delta";
    static final String TEXT_DONE = "response.output_text.done";
    static final String ANNOTATION_ADDED = "response.output_text.annotation.added";
    static final String ARGUMENTS_DELTA = "response.function_call_arguments.delta";
    static final String ARGUMENTS_DONE = "response.function_call_arguments.done";
    static final String SUMMARY_PART_ADDED = "response.reasoning_summary_part.added";
    static final String SUMMARY_PART_DONE = "response.reasoning_summary_part.done";
    static final String SUMMARY_DELTA = "response.reasoning_summary_text.delta";
    static final String SUMMARY_DONE = "response.reasoning_summary_text.done";
    static final String ERROR_EVENT = "error";
}
