package dev.sluice.money;

import dev.sluice.openai.ApiException;

import java.math.BigDecimal;

/**
 * Money is integer micro-dollars everywhere inside Sluice; decimal US dollars exist only at the edges (JSON,
 * CSV, headers, configuration), converted exactly here.
 */
public final class Money {

    private Money() {
    }

    /** Exact micro-dollars of a USD amount; more than six decimals is refused rather than rounded. */
    public static long micros(BigDecimal usd) {
        try {
            return usd.movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException("more than six decimals, or too large: " + usd.toPlainString());
        }
    }

    /** Micro-dollars from a client's USD field, with a 400 naming the field when it cannot be exact. */
    public static long micros(BigDecimal usd, String param) {
        try {
            return micros(usd);
        } catch (ArithmeticException e) {
            throw ApiException.invalidRequest(param + " must be a USD amount with at most 6 decimals", param);
        }
    }

    public static BigDecimal usd(long micros) {
        return BigDecimal.valueOf(micros, 6);
    }

    /** E.g. {@code 0.000043}, {@code 12.500000}. */
    public static String usdText(long micros) {
        return usd(micros).toPlainString();
    }
}
