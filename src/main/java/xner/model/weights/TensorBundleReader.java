package xner.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;
import xner.XnerInputException;
import xner.io.ProtoReader;

/**
 * A TensorFlow checkpoint's tensor bundle: {@code <prefix>.index} naming each tensor, and the shards
 * {@code <prefix>.data-NNNNN-of-MMMMM} holding its bytes, read without TensorFlow.
 *
 * <p>The index is a LevelDB-format table (TensorFlow's {@code core/lib/io/table_format.md}): data blocks of
 * prefix-compressed keys, an index block pointing at them, and a 48-byte footer. Its values are
 * {@code BundleEntryProto}s (dtype, shape, shard, offset, size, masked CRC-32C), the empty key holds the
 * {@code BundleHeaderProto}. Tensors are little-endian; every block and tensor read is checked against its
 * CRC-32C.
 */
public final class TensorBundleReader implements WeightReader {
    // table_format.md: footer = metaindex handle, index handle (varints, padded to 40 bytes), then a
    // fixed64 magic number
    private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER_LENGTH = 48;
    // each block is followed by a 1-byte compression type and a 4-byte masked CRC-32C
    private static final int BLOCK_TRAILER_LENGTH = 5;
    private static final int DT_FLOAT = 1;

    /** One tensor's {@code BundleEntryProto}: where its bytes are and what they hold. */
    private record Entry(int dtype, Shape shape, int shard, long offset, long size, Integer maskedCrc,
            boolean sliced) {}

    private final Path index;
    private final Map<String, Entry> entries;
    private final List<Path> shardFiles;
    private final FileChannel[] shards; // opened on first read, so that names and shapes need only the index

    private TensorBundleReader(Path index, Map<String, Entry> entries, List<Path> shardFiles) {
        this.index = index;
        this.entries = entries;
        this.shardFiles = shardFiles;
        this.shards = new FileChannel[shardFiles.size()];
    }

    /**
     * Opens a bundle by its index file ({@code …/variables.index}); the data shards beside it are opened
     * when a tensor is first read.
     *
     * @throws XnerInputException when the index is missing or not a tensor bundle index
     */
    public static TensorBundleReader open(Path index) {
        byte[] table;
        try {
            table = Files.readAllBytes(index);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(index + ": no such file (expected a TensorFlow variables.index)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        int[] numShards = {1};
        new TableParser(index, table).forEach((key, value) -> {
            if (key.isEmpty()) numShards[0] = parseHeader(index, value);
            else entries.put(key, parseEntry(index, key, value));
        });
        String name = index.getFileName().toString();
        if (!name.endsWith(".index")) throw new XnerInputException(index + ": a bundle index ends in .index");
        String prefix = name.substring(0, name.length() - ".index".length());
        List<Path> shardFiles = new ArrayList<>();
        for (int i = 0; i < numShards[0]; i++) {
            shardFiles.add(index.resolveSibling(String.format("%s.data-%05d-of-%05d", prefix, i, numShards[0])));
        }
        return new TensorBundleReader(index, Collections.unmodifiableMap(entries), List.copyOf(shardFiles));
    }

    @Override
    public Path file() {
        return index;
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public Shape shape(String name) {
        return entry(name).shape();
    }

    @Override
    public float[] read(String name) {
        ByteBuffer bytes = bytes(name, false);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    @Override
    public NDArray read(NDManager manager, String name) {
        // a direct buffer becomes the tensor's storage without another copy
        return manager.create(bytes(name, true), shape(name), DataType.FLOAT32);
    }

    /** TensorFlow's name of a tensor's dtype ({@code DT_FLOAT}, {@code DT_INT64}, …). */
    public String dtype(String name) {
        return dtypeName(entry(name).dtype());
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < shards.length; i++) {
            if (shards[i] != null) closeQuietly(shards[i]);
            shards[i] = null;
        }
    }

    private synchronized FileChannel shard(int i) {
        if (i >= shards.length) throw new XnerInputException(index + ": a tensor names shard " + i + " of "
                + shards.length);
        if (shards[i] == null) {
            Path file = shardFiles.get(i);
            if (!Files.isRegularFile(file)) {
                throw new XnerInputException(index + ": its data shard " + file + " is missing");
            }
            try {
                shards[i] = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open " + file, e);
            }
        }
        return shards[i];
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw missing(name);
        return e;
    }

    private ByteBuffer bytes(String name, boolean direct) {
        Entry e = entry(name);
        if (e.sliced()) throw new XnerInputException(index + ": tensor \"" + name + "\" is partitioned into slices,"
                + " which xner does not read");
        if (e.dtype() != DT_FLOAT) {
            throw new XnerInputException(index + ": tensor \"" + name + "\" is " + dtypeName(e.dtype())
                    + "; xner reads DT_FLOAT tensors only");
        }
        if (e.size() != e.shape().size() * Float.BYTES) {
            throw new XnerInputException(index + ": tensor \"" + name + "\" has " + e.size() + " bytes for shape "
                    + e.shape() + " (" + e.shape().size() * Float.BYTES + " expected)");
        }
        FileChannel shard = shard(e.shard());
        Path shardFile = shardFiles.get(e.shard());
        try {
            if (e.offset() < 0 || e.offset() + e.size() > shard.size()) {
                throw new XnerInputException(shardFile + ": tensor \"" + name + "\" lies at bytes " + e.offset()
                        + ".." + (e.offset() + e.size()) + ", past the end of the file (" + shard.size() + ")");
            }
            int size = Math.toIntExact(e.size());
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
            for (long at = e.offset(); buffer.hasRemaining(); ) {
                int n = shard.read(buffer, at);
                if (n < 0) throw new XnerInputException(shardFile + ": ends inside tensor \"" + name + "\"");
                at += n;
            }
            buffer.flip();
            if (e.maskedCrc() != null) {
                CRC32C crc = new CRC32C();
                crc.update(buffer.duplicate());
                if (mask((int) crc.getValue()) != e.maskedCrc()) {
                    throw new XnerInputException(shardFile + ": tensor \"" + name + "\" fails its CRC-32C check"
                            + " (a damaged or truncated file?)");
                }
            }
            return buffer.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read tensor " + name + " from " + shardFile, ex);
        }
    }

    /** TensorFlow's masked CRC (crc32c.h): rotate right by 15 bits and add a constant. */
    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    // BundleHeaderProto: 1 num_shards, 2 endianness (0 little, 1 big), 3 version
    private static int parseHeader(Path index, byte[] value) {
        int numShards = 1;
        ProtoReader p = ProtoReader.of(value, 0, value.length, index.toString());
        while (p.more()) {
            int tag = p.tag();
            switch (tag >>> 3) {
                case 1 -> numShards = (int) p.varint();
                case 2 -> {
                    if (p.varint() != 0) throw new XnerInputException(index + ": big-endian bundles are not supported");
                }
                default -> p.skip(tag);
            }
        }
        if (numShards < 1) throw new XnerInputException(index + ": header names " + numShards + " shards");
        return numShards;
    }

    // BundleEntryProto: 1 dtype, 2 shape (TensorShapeProto), 3 shard_id, 4 offset, 5 size, 6 crc32c (fixed32),
    // 7 slices
    private static Entry parseEntry(Path index, String key, byte[] value) {
        int dtype = 0;
        int shard = 0;
        long offset = 0;
        long size = 0;
        Integer crc = null;
        boolean sliced = false;
        Shape shape = new Shape();
        ProtoReader p = ProtoReader.of(value, 0, value.length, index.toString());
        while (p.more()) {
            int tag = p.tag();
            switch (tag >>> 3) {
                case 1 -> dtype = (int) p.varint();
                case 2 -> shape = parseShape(index, key, p.message());
                case 3 -> shard = (int) p.varint();
                case 4 -> offset = p.varint();
                case 5 -> size = p.varint();
                case 6 -> crc = p.fixed32();
                case 7 -> {
                    p.skip(tag);
                    sliced = true;
                }
                default -> p.skip(tag);
            }
        }
        if (shard < 0) throw new XnerInputException(index + ": tensor \"" + key + "\" names shard " + shard);
        return new Entry(dtype, shape, shard, offset, size, crc, sliced);
    }

    // TensorShapeProto: 2 dim (repeated Dim: 1 size, 2 name), 3 unknown_rank
    private static Shape parseShape(Path index, String key, ProtoReader p) {
        List<Long> dims = new ArrayList<>();
        while (p.more()) {
            int tag = p.tag();
            if (tag >>> 3 == 2) {
                ProtoReader dim = p.message();
                long size = 0;
                while (dim.more()) {
                    int t = dim.tag();
                    if (t >>> 3 == 1) size = dim.varint();
                    else dim.skip(t);
                }
                if (size < 0) throw new XnerInputException(index + ": tensor \"" + key + "\" has an unknown dimension");
                dims.add(size);
            } else if (tag >>> 3 == 3) {
                if (p.varint() != 0) throw new XnerInputException(index + ": tensor \"" + key + "\" has unknown rank");
            } else {
                p.skip(tag);
            }
        }
        return new Shape(dims.stream().mapToLong(Long::longValue).toArray());
    }

    private static String dtypeName(int dtype) {
        return switch (dtype) {
            case 1 -> "DT_FLOAT";
            case 2 -> "DT_DOUBLE";
            case 3 -> "DT_INT32";
            case 7 -> "DT_STRING";
            case 9 -> "DT_INT64";
            case 10 -> "DT_BOOL";
            case 14 -> "DT_BFLOAT16";
            case 19 -> "DT_HALF";
            default -> "dtype " + dtype;
        };
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel: nothing to lose
        }
    }

    /** The LevelDB table of an index file: footer → index block → data blocks → key/value entries. */
    private static final class TableParser {
        private final Path file;
        private final byte[] table;

        TableParser(Path file, byte[] table) {
            this.file = file;
            this.table = table;
        }

        void forEach(BiConsumer<String, byte[]> visitor) {
            if (table.length < FOOTER_LENGTH) {
                throw new XnerInputException(file + ": " + table.length + " bytes, too short for a tensor bundle index");
            }
            ByteBuffer le = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
            if (le.getLong(table.length - 8) != TABLE_MAGIC) {
                throw new XnerInputException(file + ": not a TensorFlow tensor bundle index (bad table magic number)");
            }
            ProtoReader footer = ProtoReader.of(table, table.length - FOOTER_LENGTH, table.length - 8, file.toString());
            footer.varint(); // metaindex handle: unused by bundles
            footer.varint();
            long indexOffset = footer.varint();
            long indexSize = footer.varint();
            byte[] indexBlock = block(indexOffset, indexSize);
            entries(indexBlock, (key, handle) -> {
                ProtoReader h = ProtoReader.of(handle, 0, handle.length, file.toString());
                byte[] data = block(h.varint(), h.varint());
                entries(data, (k, v) -> visitor.accept(new String(k, StandardCharsets.UTF_8), v));
            });
        }

        private byte[] block(long offset, long size) {
            if (offset < 0 || size < 0 || offset + size + BLOCK_TRAILER_LENGTH > table.length - FOOTER_LENGTH) {
                throw new XnerInputException(file + ": block at " + offset + " (+" + size + " bytes) lies outside"
                        + " the file (" + table.length + " bytes)");
            }
            int start = (int) offset;
            int end = start + (int) size;
            int type = table[end];
            if (type != 0) {
                throw new XnerInputException(file + ": block at " + offset + " is compressed (type " + type
                        + "); xner reads uncompressed bundle indexes only");
            }
            CRC32C crc = new CRC32C();
            crc.update(table, start, (int) size + 1); // contents and type byte
            int stored = ByteBuffer.wrap(table, end + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (mask((int) crc.getValue()) != stored) {
                throw new XnerInputException(file + ": block at " + offset + " fails its CRC-32C check");
            }
            byte[] out = new byte[(int) size];
            System.arraycopy(table, start, out, 0, out.length);
            return out;
        }

        // block = entries, then uint32 restart offsets, then uint32 number of restarts. Each entry: varint32
        // shared key bytes, varint32 unshared key bytes, varint32 value length, unshared key bytes, value.
        private void entries(byte[] block, BiConsumer<byte[], byte[]> visitor) {
            if (block.length < 4) throw new XnerInputException(file + ": a block of " + block.length + " bytes");
            ByteBuffer le = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
            int restarts = le.getInt(block.length - 4);
            int limit = block.length - 4 - 4 * restarts;
            if (restarts < 0 || limit < 0) throw new XnerInputException(file + ": bad restart count " + restarts);
            Set<Integer> restartOffsets = new HashSet<>();
            for (int i = 0; i < restarts; i++) restartOffsets.add(le.getInt(limit + 4 * i));
            byte[] key = new byte[0];
            ProtoReader p = ProtoReader.of(block, 0, limit, file.toString());
            while (p.more()) {
                boolean restart = restartOffsets.contains(p.position());
                int shared = (int) p.varint();
                int unshared = (int) p.varint();
                int valueLength = (int) p.varint();
                if (shared > key.length || (restart && shared != 0)) {
                    throw new XnerInputException(file + ": corrupt key at block offset " + p.position());
                }
                byte[] next = new byte[shared + unshared];
                System.arraycopy(key, 0, next, 0, shared);
                System.arraycopy(p.raw(unshared), 0, next, shared, unshared);
                key = next;
                visitor.accept(key, p.raw(valueLength));
            }
        }
    }
}
