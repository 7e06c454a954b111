package xner;

/**
 * Bad input from a user: a malformed file, an unknown label, a missing tensor, a bad option value.
 *
 * <p>The message is meant to be printed as it is, so it names where the problem is, in the manner of a
 * compiler: {@code panx/de/train:1043: expected "lang:token<TAB>tag", found "de:Bucht"}.
 */
public class XnerInputException extends RuntimeException {
    public XnerInputException(String message) {
        super(message);
    }

    public XnerInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
