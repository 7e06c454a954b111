package xner;

/**
 * Bad input from a user: a malformed file, an unknown label, a missing tensor, a bad option value.
 *
 * <p>The message is meant to be printed as it is, so it names where the problem is, in the manner of a
 * compiler: {@code panx/de/train:1043: expected "lang:token<TAB>tag", found "de:Bucht"}. It is one line: a line
 * break in what it quotes from the input (a JSON string's {@code \n}, a value of a lenient {@code config.json}) is
 * shown as {@code \n} ({@code \r} as {@code \r}), so that nothing after it is taken for another message.
 */
public class XnerInputException extends RuntimeException {
    public XnerInputException(String message) {
        super(oneLine(message));
    }

    public XnerInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** {@code message} with its line breaks escaped (found fuzzing: a config.json's model_type "xlm8,<LF>erta"). */
    public static String oneLine(String message) {
        return message == null ? null : message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
