package dev.sluice.pipeline;

/**
 * How an exchange ended.
 *
 * @param status  what happened
 * @param failure the failure, when it failed
 */
public record Outcome(Status status, Throwable failure) {

    public enum Status {
        /** The response (or the whole stream) was produced. */
        SUCCEEDED,
        /** Sluice or the upstream failed; the client received an error. */
        FAILED,
        /** The client went away before the end. */
        ABORTED
    }

    private static final Outcome SUCCESS = new Outcome(Status.SUCCEEDED, null);
    private static final Outcome ABORT = new Outcome(Status.ABORTED, null);

    public static Outcome succeeded() {
        return SUCCESS;
    }

    public static Outcome failed(Throwable failure) {
        return new Outcome(Status.FAILED, failure);
    }

    public static Outcome aborted() {
        return ABORT;
    }

    /** The HTTP status the client got: 200, 499 when it went away, else its failure's ({@link Failures}). */
    public int httpStatus() {
        return switch (status) {
            case SUCCEEDED -> 200;
            case ABORTED -> 499;
            case FAILED -> Failures.status(failure);
        };
    }

    /** The error code the client got; null unless the exchange failed. */
    public String errorCode() {
        return status == Status.FAILED ? Failures.code(failure) : null;
    }

    /** {@code ok}, {@code aborted} or {@code failed}: how the ledger and the request log name the end. */
    public String result() {
        return switch (status) {
            case SUCCEEDED -> "ok";
            case ABORTED -> "aborted";
            case FAILED -> "failed";
        };
    }
}
