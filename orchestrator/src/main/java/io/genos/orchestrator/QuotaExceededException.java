package io.genos.orchestrator;

/** A launch would go beyond the owner's quota; nothing was created. {@link #limit()} names the limit. */
public class QuotaExceededException extends InvalidRequestException {

    private final String limit;

    public QuotaExceededException(String limit, String message) {
        super("Quota: " + message);
        this.limit = limit;
    }

    public String limit() {
        return limit;
    }
}
