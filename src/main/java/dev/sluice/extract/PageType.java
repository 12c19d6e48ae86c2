package dev.sluice.extract;

/**
 * A guess at what kind of page was extracted. The guess steers extraction (a forum keeps every reply, a product
 * page may fall back to its structured data) and tells callers what to expect from the content.
 */
public enum PageType {
    ARTICLE, FORUM, PRODUCT, COLLECTION, LISTING, DOCUMENTATION, SERVICE
}
