package xner.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import xner.XnerInputException;

/**
 * Protocol-buffer wire format read field by field, for the files whose schema xner does not compile (TensorFlow's
 * {@code BundleEntryProto}, SentencePiece's {@code ModelProto}): protobuf-java's {@link CodedInputStream} does the
 * decoding; this says where, in the file's bytes, a malformed or truncated record was met, as an
 * {@link XnerInputException}, and hands out a length-delimited field as a reader of its own. Why no generated classes:
 * they would need TensorFlow's and SentencePiece's {@code .proto} files compiled into the build for the five fields
 * read here.
 *
 * <pre>
 *   ProtoReader r = ProtoReader.of(bytes, 0, bytes.length, "model.spm");
 *   while (r.more()) {
 *       int tag = r.tag();
 *       if (ProtoReader.field(tag) == 1 &amp;&amp; ProtoReader.wire(tag) == ProtoReader.LEN) pieces.add(piece(r.message()));
 *       else r.skip(tag);
 *   }
 * </pre>
 */
public final class ProtoReader {
    public static final int VARINT = WireFormat.WIRETYPE_VARINT, I64 = WireFormat.WIRETYPE_FIXED64,
            LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED, I32 = WireFormat.WIRETYPE_FIXED32;

    private final byte[] bytes;
    private final CodedInputStream in;
    private final int start;
    private final int end;
    private final String where;

    private ProtoReader(byte[] bytes, int start, int end, String where) {
        this.bytes = bytes;
        this.in = CodedInputStream.newInstance(bytes, start, end - start);
        this.start = start;
        this.end = end;
        this.where = where;
    }

    /** A reader of {@code bytes[start, end)}; {@code where} (a file) leads every message, byte offsets follow it. */
    public static ProtoReader of(byte[] bytes, int start, int end, String where) {
        if (start < 0 || end < start || end > bytes.length) throw new IllegalArgumentException(start + ".." + end);
        return new ProtoReader(bytes, start, end, where);
    }

    public static int field(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    public static int wire(int tag) {
        return WireFormat.getTagWireType(tag);
    }

    /** Whether bytes are left. */
    public boolean more() {
        return position() < end;
    }

    /** Where the next byte is, counted from the start of the whole array (the file). */
    public int position() {
        return start + in.getTotalBytesRead();
    }

    public int tag() {
        return read(() -> {
            int tag = in.readTag();
            if (tag == 0) throw new InvalidProtocolBufferException("a field number of 0");
            return tag;
        });
    }

    public long varint() {
        return read(in::readRawVarint64);
    }

    /** A varint whose low 32 bits are the value: int32 and enum fields (a negative one is written in 10 bytes). */
    public int varint32() {
        return (int) varint();
    }

    public int fixed32() {
        return read(in::readRawLittleEndian32);
    }

    /** The next {@code n} bytes as they are (not a protobuf field: the raw keys and values of a LevelDB block). */
    public byte[] raw(int n) {
        if (n < 0) throw error("a length of " + n);
        return read(() -> in.readRawBytes(n));
    }

    /** A length-delimited field's bytes. */
    public byte[] bytes() {
        return read(in::readByteArray);
    }

    /** A length-delimited field read as a message of its own, positions still counted in the whole array. */
    public ProtoReader message() {
        int length = read(in::readRawVarint32);
        int from = position();
        if (length < 0 || length > end - from) throw error("a length of " + length + " that runs past the end");
        read(() -> {
            in.skipRawBytes(length);
            return null;
        });
        return new ProtoReader(bytes, from, from + length, where);
    }

    /** Skips the field whose tag was just read. */
    public void skip(int tag) {
        int wire = wire(tag);
        if (wire != VARINT && wire != I64 && wire != LEN && wire != I32) throw error("unsupported protobuf wire type " + wire);
        read(() -> in.skipField(tag));
    }

    /** An error at the current position: "where: byte N: what". */
    public XnerInputException error(String what) {
        return new XnerInputException(where + ": byte " + position() + ": " + what);
    }

    private interface Read<T> {
        T get() throws IOException;
    }

    private <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (InvalidProtocolBufferException e) {
            throw error(plain(e.getMessage()));
        } catch (IOException e) {
            throw error("unreadable (" + e.getMessage() + ")");
        }
    }

    /** protobuf-java's messages, cut to what happened (they go on about how the message may have been made). */
    private static String plain(String message) {
        if (message == null) return "malformed";
        if (message.startsWith("While parsing a protocol message, the input ended unexpectedly")) return "truncated";
        if (message.startsWith("CodedInputStream encountered a malformed varint")) return "a malformed varint";
        if (message.startsWith("Protocol message contained an invalid tag")) return "an invalid field tag";
        if (message.startsWith("CodedInputStream encountered an embedded string or message which claimed to have negative")) {
            return "a negative length";
        }
        return message;
    }
}
