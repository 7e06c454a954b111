package xner.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import xner.XnerInputException;
import xner.io.StrictJson;

/**
 * A checkpoint split into shards, as transformers saves a large model: an index ({@code model.safetensors.index.json}
 * or {@code pytorch_model.bin.index.json}) whose {@code weight_map} names the shard file of each tensor, beside the
 * shards ({@code model-00001-of-00002.safetensors}, ...). Each tensor is read from its shard.
 *
 * <p>On opening, every shard the index names is opened and must hold the tensors the index gives it; a tensor in
 * a shard that the index does not name is not read, as transformers does not read it.
 */
public final class ShardedWeights implements WeightReader {
    private final Path index;
    private final Map<String, WeightReader> byTensor;
    private final List<WeightReader> shards;

    private ShardedWeights(Path index, Map<String, WeightReader> byTensor, List<WeightReader> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    /**
     * Opens the shards an index names.
     *
     * @param openShard opens one shard file ({@link SafetensorsReader#open} or {@link PyTorchReader#open})
     * @throws XnerInputException naming the index, when it is malformed, a shard is missing, or a shard lacks a
     *                            tensor the index puts there
     */
    public static ShardedWeights open(Path index, Function<Path, WeightReader> openShard) {
        Map<String, String> weightMap = weightMap(index);
        Map<String, WeightReader> open = new LinkedHashMap<>();
        Map<String, WeightReader> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                WeightReader shard = open.get(e.getValue());
                if (shard == null) {
                    Path file = index.resolveSibling(e.getValue());
                    if (!Files.isRegularFile(file)) {
                        throw new XnerInputException(index + ": names shard " + e.getValue() + " for \"" + e.getKey()
                                + "\", which is not there");
                    }
                    shard = openShard.apply(file);
                    open.put(e.getValue(), shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new XnerInputException(index + ": puts tensor \"" + e.getKey() + "\" in " + e.getValue()
                            + ", which does not hold it");
                }
                byTensor.put(e.getKey(), shard);
            }
            return new ShardedWeights(index, Collections.unmodifiableMap(byTensor), List.copyOf(open.values()));
        } catch (RuntimeException e) {
            open.values().forEach(WeightReader::close);
            throw e;
        }
    }

    /** The index's {@code weight_map}: tensor name → shard file name (a plain name beside the index). */
    private static Map<String, String> weightMap(Path index) {
        String text;
        try {
            text = Files.readString(index, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(index + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
        JsonElement root;
        try {
            root = StrictJson.parse(text);
        } catch (XnerInputException e) {
            throw new XnerInputException(index + ": not valid JSON: " + e.getMessage());
        }
        JsonElement map = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
        if (map == null || !map.isJsonObject()) {
            throw new XnerInputException(index + ": expected an object with \"weight_map\": {tensor: shard file}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : ((JsonObject) map).entrySet()) {
            JsonElement v = e.getValue();
            String shard = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() ? v.getAsString() : null;
            // a shard lies beside its index: a path elsewhere is a damaged (or hostile) index
            if (shard == null || shard.isBlank() || shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                throw new XnerInputException(index + ": weight_map[\"" + e.getKey() + "\"]: expected a file name beside the "
                        + "index, found " + v);
            }
            out.put(e.getKey(), shard);
        }
        if (out.isEmpty()) throw new XnerInputException(index + ": weight_map is empty");
        return out;
    }

    @Override
    public Path file() {
        return index;
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    @Override
    public Shape shape(String name) {
        return shard(name).shape(name);
    }

    @Override
    public float[] read(String name) {
        return shard(name).read(name);
    }

    @Override
    public NDArray read(NDManager manager, String name) {
        return shard(name).read(manager, name);
    }

    /** The shard files, in the order the index first names them. */
    public List<Path> shardFiles() {
        List<Path> files = new ArrayList<>();
        for (WeightReader shard : shards) files.add(shard.file());
        return files;
    }

    @Override
    public void close() {
        shards.forEach(WeightReader::close);
    }

    private WeightReader shard(String name) {
        WeightReader shard = byTensor.get(name);
        if (shard == null) throw missing(name);
        return shard;
    }
}
