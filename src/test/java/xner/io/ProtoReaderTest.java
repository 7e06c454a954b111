package xner.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import xner.XnerInputException;

class ProtoReaderTest {
    // field 1 varint 150; field 2 message {field 1 bytes "hi"}; field 3 fixed32 -1; field 4 int32 -2 (10-byte varint)
    private static final byte[] RECORD = {0x08, (byte) 0x96, 0x01, 0x12, 0x04, 0x0a, 0x02, 'h', 'i', 0x1d, -1, -1, -1, -1,
            0x20, (byte) 0xfe, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};

    @Test
    void fieldsAreReadInOrderAndAMessageKeepsTheFilesPositions() {
        ProtoReader r = ProtoReader.of(RECORD, 0, RECORD.length, "m.model");
        int tag = r.tag();
        assertEquals(1, ProtoReader.field(tag));
        assertEquals(ProtoReader.VARINT, ProtoReader.wire(tag));
        assertEquals(150, r.varint());
        assertEquals(2 << 3 | ProtoReader.LEN, r.tag());
        ProtoReader inner = r.message();
        assertEquals(5, inner.position(), "counted from the start of the file, not of the message");
        assertEquals(1 << 3 | ProtoReader.LEN, inner.tag());
        assertArrayEquals(new byte[] {'h', 'i'}, inner.bytes());
        assertFalse(inner.more());
        assertEquals(3 << 3 | ProtoReader.I32, r.tag());
        assertEquals(-1, r.fixed32());
        assertEquals(4 << 3 | ProtoReader.VARINT, r.tag());
        assertEquals(-2, r.varint32());
        assertFalse(r.more());
    }

    @Test
    void aTruncatedOrMalformedRecordIsRefusedWithItsByte() {
        assertEquals("m.model: byte 2: truncated",
                assertThrows(XnerInputException.class, () -> read(new byte[] {0x08, (byte) 0x96})).getMessage());
        assertEquals("m.model: byte 4: a length of 9 that runs past the end",
                assertThrows(XnerInputException.class, () -> read(new byte[] {0x08, 0x01, 0x12, 0x09, 0x0a})).getMessage());
        assertEquals("m.model: byte 1: unsupported protobuf wire type 3",
                assertThrows(XnerInputException.class, () -> read(new byte[] {0x0b, 0x0c})).getMessage());
        assertEquals("m.model: byte 1: an invalid field tag",
                assertThrows(XnerInputException.class, () -> read(new byte[] {0x00, 0x01})).getMessage());
    }

    /** Reads every field, skipping each, and messages as readers of their own. */
    private static void read(byte[] bytes) {
        ProtoReader r = ProtoReader.of(bytes, 0, bytes.length, "m.model");
        while (r.more()) {
            int tag = r.tag();
            if (ProtoReader.wire(tag) == ProtoReader.LEN) r.message();
            else r.skip(tag);
        }
    }
}
