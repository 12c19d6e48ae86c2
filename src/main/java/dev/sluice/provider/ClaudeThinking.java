package dev.sluice.provider;

/**
 * How a {@code reasoning_effort}'s thinking budget is fitted to Claude's output cap, the same way wherever Sluice
 * reaches Claude (Anthropic's API, Bedrock). Claude spends {@code budget_tokens} inside {@code max_tokens} and
 * refuses a budget that is not below it; OpenAI's {@code max_completion_tokens} likewise covers reasoning and
 * answer. So:
 *
 * <ul>
 *   <li>with a client cap, the budget is at most half of it, and never below Claude's minimum of
 *       {@value #MIN_BUDGET}; a cap of {@value #MIN_BUDGET} or less leaves no room for both and is a 400 naming the
 *       cap's field;</li>
 *   <li>without one, the budget must stay below the cap that applies (the one Sluice sends, or the model's output
 *       limit); when it would not, it shrinks to half of that cap.</li>
 * </ul>
 */
public final class ClaudeThinking {

    /** Claude's smallest thinking budget. */
    public static final int MIN_BUDGET = 1024;

    /**
     * The output limit of a Claude model that neither the catalog nor the provider's {@code max-output-tokens}
     * options know: the largest output of current Claude models (a newer model is likelier than an older one to
     * be missing from the catalog). Every other limit comes from the catalog's {@code max_output}
     * ({@link OutputLimits}).
     */
    public static final int DEFAULT_MAX_OUTPUT = 64000;

    private ClaudeThinking() {
    }

    /**
     * The budget within the client's output cap.
     *
     * @param capParam the field that carried the cap ({@code max_completion_tokens} or {@code max_tokens})
     */
    public static int withinCap(String provider, int budget, int cap, String capParam) {
        if (cap <= MIN_BUDGET) {
            throw Unsupported.parameter(provider, capParam, "with reasoning_effort it must be above " + MIN_BUDGET
                    + " (Claude's smallest thinking budget)");
        }
        return Math.max(MIN_BUDGET, Math.min(budget, cap / 2));
    }

    /** The budget below a cap the client did not choose: unchanged when it fits, else half of the cap. */
    public static int withinLimit(int budget, int limit) {
        return budget < limit ? budget : Math.max(MIN_BUDGET, limit / 2);
    }
}
