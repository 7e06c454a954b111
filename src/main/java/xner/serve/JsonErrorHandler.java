package xner.serve;

import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import xner.io.JsonOutput;

/**
 * The answer to errors Jetty raises itself (a request line it cannot parse, headers too large, a failure
 * escaping a handler): {@code {"error": "..."}} with the status, never an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        Object attribute = request.getAttribute(ERROR_STATUS);
        if (attribute instanceof Integer code && code >= 400) status = code;
        // the message of a failure inside the service could reveal internals: only the status's reason is shown
        String message = status >= 500 ? "internal error" : reason(status, request.getAttribute(ERROR_MESSAGE));
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TagHandler.JSON);
        response.write(true, ByteBuffer.wrap(body(message)), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, TagHandler.JSON));
        return ByteBuffer.wrap(body(reason(status, reason)));
    }

    private static String reason(int status, Object message) {
        String standard = HttpStatus.getMessage(status);
        String detail = message == null ? "" : message.toString().strip();
        return detail.isEmpty() || detail.equalsIgnoreCase(standard) ? standard : standard + ": " + detail;
    }

    static byte[] body(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return JsonOutput.LINE.toJson(o).getBytes(StandardCharsets.UTF_8);
    }
}
