package xner.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import xner.model.weights.TensorBundleReader;

/**
 * Writes a TensorFlow tensor bundle ({@code <prefix>.index} + {@code <prefix>.data-00000-of-00001}) of float
 * tensors, following TensorFlow's table format, for tests of {@link TensorBundleReader} that do not need the
 * 663 MB jar. Small blocks and a short restart interval exercise multi-block tables and prefix compression.
 */
final class TensorBundleWriter {
    private final Map<String, long[]> shapes = new TreeMap<>();
    private final Map<String, float[]> values = new TreeMap<>();
    int restartInterval = 3;
    int blockSize = 200;
    int compressionType = 0;

    TensorBundleWriter add(String name, long[] shape, float[] data) {
        shapes.put(name, shape);
        values.put(name, data);
        return this;
    }

    /** Writes the bundle; returns the index file. */
    Path write(Path dir, String prefix) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<String, byte[]> entries = new TreeMap<>(); // keys sorted bytewise (ASCII names)
        entries.put("", header());
        for (String name : values.keySet()) {
            float[] v = values.get(name);
            ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) bytes.putFloat(f);
            CRC32C crc = new CRC32C();
            crc.update(bytes.array());
            entries.put(name, entry(shapes.get(name), data.size(), bytes.array().length,
                    TensorBundleReader.mask((int) crc.getValue())));
            data.write(bytes.array());
        }
        Files.write(dir.resolve(prefix + ".data-00000-of-00001"), data.toByteArray());

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        List<String> indexKeys = new ArrayList<>();
        List<byte[]> indexValues = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<byte[]> vals = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            keys.add(e.getKey());
            vals.add(e.getValue());
            if (estimate(keys, vals) >= blockSize) {
                flush(table, keys, vals, indexKeys, indexValues);
            }
        }
        if (!keys.isEmpty()) flush(table, keys, vals, indexKeys, indexValues);
        long[] meta = writeBlock(table, block(List.of(), List.of()));
        long[] index = writeBlock(table, block(indexKeys, indexValues));
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        varint(footer, meta[0]);
        varint(footer, meta[1]);
        varint(footer, index[0]);
        varint(footer, index[1]);
        while (footer.size() < 40) footer.write(0);
        ByteBuffer magic = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0xdb4775248b80fb57L);
        footer.write(magic.array());
        table.write(footer.toByteArray());
        Path indexFile = dir.resolve(prefix + ".index");
        Files.write(indexFile, table.toByteArray());
        return indexFile;
    }

    private void flush(ByteArrayOutputStream table, List<String> keys, List<byte[]> vals, List<String> indexKeys,
            List<byte[]> indexValues) throws IOException {
        long[] handle = writeBlock(table, block(keys, vals));
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        varint(h, handle[0]);
        varint(h, handle[1]);
        indexKeys.add(keys.get(keys.size() - 1));
        indexValues.add(h.toByteArray());
        keys.clear();
        vals.clear();
    }

    private long[] writeBlock(ByteArrayOutputStream table, byte[] block) throws IOException {
        long offset = table.size();
        table.write(block);
        table.write(compressionType);
        CRC32C crc = new CRC32C();
        crc.update(block);
        crc.update(compressionType);
        table.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(TensorBundleReader.mask((int) crc.getValue())).array());
        return new long[] {offset, block.length};
    }

    private byte[] block(List<String> keys, List<byte[]> vals) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> restarts = new ArrayList<>();
        byte[] previous = new byte[0];
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i).getBytes(StandardCharsets.UTF_8);
            int shared = 0;
            if (i % restartInterval == 0) restarts.add(out.size());
            else while (shared < previous.length && shared < key.length && previous[shared] == key[shared]) shared++;
            varint(out, shared);
            varint(out, key.length - shared);
            varint(out, vals.get(i).length);
            out.write(key, shared, key.length - shared);
            out.write(vals.get(i));
            previous = key;
        }
        if (restarts.isEmpty()) restarts.add(0);
        ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
        restarts.forEach(tail::putInt);
        tail.putInt(restarts.size());
        out.write(tail.array());
        return out.toByteArray();
    }

    private static int estimate(List<String> keys, List<byte[]> vals) {
        int n = 0;
        for (int i = 0; i < keys.size(); i++) n += keys.get(i).length() + vals.get(i).length + 3;
        return n;
    }

    // BundleHeaderProto {num_shards: 1, endianness: LITTLE (default), version {producer: 1}}
    private static byte[] header() {
        return new byte[] {0x08, 0x01, 0x1a, 0x02, 0x08, 0x01};
    }

    // BundleEntryProto {dtype: DT_FLOAT, shape, offset, size, crc32c}
    private static byte[] entry(long[] shape, long offset, long size, int crc) throws IOException {
        ByteArrayOutputStream shapeProto = new ByteArrayOutputStream();
        for (long d : shape) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            dim.write(0x08);
            varint(dim, d);
            shapeProto.write(0x12);
            varint(shapeProto, dim.size());
            shapeProto.write(dim.toByteArray());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x08);
        varint(out, 1);
        out.write(0x12);
        varint(out, shapeProto.size());
        out.write(shapeProto.toByteArray());
        if (offset != 0) {
            out.write(0x20);
            varint(out, offset);
        }
        out.write(0x28);
        varint(out, size);
        out.write(0x35);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc).array());
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
