package dev.sluice.extract;

import dev.sluice.openai.ApiException;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

import java.util.List;
import java.util.Locale;

/**
 * What a caller's CSS selector ({@code selector}, {@code exclude_selectors}) may be, checked before anything is
 * fetched, and how it is run so that it cannot take more than the request's time:
 * <ul>
 *   <li>valid jsoup CSS of at most {@value #MAX_LENGTH} characters, at most {@value #MAX_EXCLUDES} exclude
 *       selectors; anything else is a 400 {@code invalid_selector} naming the field;</li>
 *   <li>regular expressions ({@code :matches}, {@code :matchesOwn}, {@code :matchesWholeText},
 *       {@code :matchesWholeOwnText}, {@code [attr~=regex]}) are evaluated by re2j, a linear-time engine
 *       without backtracking (jsoup picks it up from the classpath); so backreferences and look-arounds, which
 *       only a backtracking engine offers, are refused as invalid;</li>
 *   <li>{@code :has} may not nest inside another {@code :has}: each level multiplies the work by the page's size,
 *       while one level is linear per element;</li>
 *   <li>the selector is tried element by element with a check of the extraction's {@link Deadline} before each.</li>
 * </ul>
 */
public final class SelectorRule {

    public static final String INVALID_SELECTOR = "invalid_selector";
    static final int MAX_LENGTH = 512;
    static final int MAX_EXCLUDES = 32;

    private SelectorRule() {
    }

    /** Checks a request's selectors; fails with the 400 to answer. */
    public static void check(String selector, List<String> excludes) {
        if (selector != null && !selector.isBlank()) {
            check(selector, "selector");
        }
        if (excludes != null) {
            if (excludes.size() > MAX_EXCLUDES) {
                throw ApiException.invalidRequest("At most " + MAX_EXCLUDES + " exclude selectors are accepted (got "
                        + excludes.size() + ")", "exclude_selectors", INVALID_SELECTOR);
            }
            for (int i = 0; i < excludes.size(); i++) {
                if (excludes.get(i) != null && !excludes.get(i).isBlank()) {
                    check(excludes.get(i), "exclude_selectors[" + i + "]");
                }
            }
        }
    }

    /** Checks one selector; fails with the 400 naming {@code param}. */
    static void check(String css, String param) {
        try {
            parse(css);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Invalid '" + param + "': " + e.getMessage(), param, INVALID_SELECTOR);
        }
    }

    /** The evaluator of a selector this rule accepts; otherwise an IllegalArgumentException saying why. */
    static Evaluator parse(String css) {
        if (css.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the selector is " + css.length() + " characters long; at most "
                    + MAX_LENGTH + " are accepted");
        }
        if (nestedHas(css)) {
            throw new IllegalArgumentException(":has() may not be nested inside another :has()");
        }
        try {
            return QueryParser.parse(css.strip());
        } catch (RuntimeException e) {
            // jsoup's own message says what is wrong; re2j's names the unsupported regular-expression construct
            throw new IllegalArgumentException("invalid CSS selector: " + e.getMessage(), e);
        }
    }

    /** Every element under {@code root} the selector matches, checking the current {@link Deadline} as it goes. */
    static Elements select(Element root, String css) {
        return root.select(new Checked(parse(css)));
    }

    /** Whether a {@code :has(} opens inside the parentheses of another {@code :has(}. */
    static boolean nestedHas(String css) {
        String lower = css.toLowerCase(Locale.ROOT);
        int depth = 0;
        java.util.ArrayDeque<Boolean> opened = new java.util.ArrayDeque<>();
        int hasOpen = 0;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '(') {
                boolean isHas = lower.startsWith(":has", i - 4) && i >= 4;
                if (isHas && hasOpen > 0) {
                    return true;
                }
                opened.push(isHas);
                hasOpen += isHas ? 1 : 0;
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                hasOpen -= opened.pop() ? 1 : 0;
            }
        }
        return false;
    }

    /**
     * A caller's evaluator, with a deadline check before each element it is tried on. (Each selection parses its
     * own evaluator, so whatever the inner one memoises lives only as long as that one selection.)
     */
    private static final class Checked extends Evaluator {
        private final Evaluator inner;

        Checked(Evaluator inner) {
            this.inner = inner;
        }

        @Override
        public boolean matches(Element root, Element element) {
            Deadline.checkCurrent();
            return inner.matches(root, element);
        }

        @Override
        public String toString() {
            return inner.toString();
        }
    }
}
