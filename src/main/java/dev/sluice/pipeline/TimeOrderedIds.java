package dev.sluice.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/** Ids that sort by creation time: request ids, and the leases metering takes on a key's balance. */
public final class TimeOrderedIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TimeOrderedIds() {
    }

    /**
     * A new request id: {@code req_} and 24 hex digits, the first 12 the time in milliseconds and the other 12
     * random, so that ids sort by time and the ledger's request-id index grows at its end instead of being written
     * all over (one page per request) at every group commit.
     */
    public static String next() {
        char[] out = new char[28];
        out[0] = 'r';
        out[1] = 'e';
        out[2] = 'q';
        out[3] = '_';
        long time = System.currentTimeMillis();
        for (int i = 15; i >= 4; i--) {
            out[i] = HEX[(int) (time & 0xf)];
            time >>>= 4;
        }
        long random = ThreadLocalRandom.current().nextLong();
        for (int i = 16; i < 28; i++) {
            out[i] = HEX[(int) (random & 0xf)];
            random >>>= 4;
        }
        return new String(out);
    }
}
