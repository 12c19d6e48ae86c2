package dev.sluice.catalog;

import java.math.BigDecimal;

/**
 * A model's list price in USD, as providers publish it: tokens per million, fixed fees per unit. A null fee is
 * one the model does not charge.
 *
 * @param input       per million uncached input tokens
 * @param output      per million output tokens
 * @param cachedInput per million input tokens read from a prompt cache (the input price when not published)
 * @param cacheWrite  per million input tokens written to a prompt cache (the input price when not published)
 * @param perImage    per input image, where the provider charges images apart from tokens
 * @param perRequest  per request, where the provider charges one (search-grounded models, for instance)
 */
public record ModelPrice(BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite,
                         BigDecimal perImage, BigDecimal perRequest) {
}
