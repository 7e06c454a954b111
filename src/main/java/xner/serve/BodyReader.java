package xner.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while the client is slow (Jetty's demand/read loop), and
 * stops at {@code limit} bytes: the future then fails with an {@link HttpError} 413, and a failed read with a 400.
 */
final class BodyReader {
    private final Request request;
    private final long limit;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    private BodyReader(Request request, long limit) {
        this.request = request;
        this.limit = limit;
    }

    static CompletableFuture<byte[]> read(Request request, long limit) {
        BodyReader reader = new BodyReader(request, limit);
        reader.readAvailable();
        return reader.result;
    }

    private void readAvailable() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this::readAvailable); // called back when more bytes arrive
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                result.completeExceptionally(HttpError.malformed("the request body could not be read"));
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean tooLarge = body.size() + (long) bytes.remaining() > limit;
            if (!tooLarge) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.writeBytes(copy);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (tooLarge) {
                result.completeExceptionally(HttpError.tooLarge("the request body is over the limit of " + limit + " bytes"));
                return;
            }
            if (last) {
                result.complete(body.toByteArray());
                return;
            }
        }
    }
}
