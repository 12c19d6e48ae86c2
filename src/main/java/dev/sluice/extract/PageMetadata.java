package dev.sluice.extract;

import java.util.Set;

/**
 * What the page says about itself in its head and structured data, read before any cleaning.
 *
 * @param schemaTypes    schema.org types found in JSON-LD and microdata (simple names such as "Product")
 * @param ogType         og:type, lower case, or null
 * @param structuredBody the main text the structured data carries (a Product's name, description and offer; an
 *                       article's articleBody), used when the visible DOM holds too little; null when none
 */
record PageMetadata(
        String title,
        String byline,
        String siteName,
        String publishedTime,
        String lang,
        String description,
        String canonicalUrl,
        Set<String> schemaTypes,
        String ogType,
        String structuredBody) {
}
