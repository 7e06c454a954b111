package xner.data;

/** What every record reader over a {@link LineStream} answers the same way: where it is in the file. */
abstract class LineRecordReader implements RecordReader {
    protected final LineStream lines;

    LineRecordReader(LineStream lines) {
        this.lines = lines;
    }

    @Override
    public final int lineNumber() {
        return lines.lineNumber();
    }

    @Override
    public final long bytesRead() {
        return lines.bytes();
    }
}
