package xner.serve;

/** A request the service refuses, with the HTTP status and the message its JSON error carries. */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        // a refusal, not a failure: no stack trace is taken; one line, as every input error (a field name may hold a \n)
        super(xner.XnerInputException.oneLine(message), null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static HttpError malformed(String message) {
        return new HttpError(400, message);
    }

    static HttpError tooLarge(String message) {
        return new HttpError(413, message);
    }

    static HttpError invalid(String message) {
        return new HttpError(422, message);
    }

    static HttpError busy(String message) {
        return new HttpError(503, message);
    }
}
