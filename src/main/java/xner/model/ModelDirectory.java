package xner.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import xner.XnerInputException;
import xner.io.Durable;
import xner.model.weights.PyTorchReader;
import xner.model.weights.SafetensorsReader;
import xner.model.weights.ShardedWeights;
import xner.model.weights.WeightReader;

/**
 * A model folder in Hugging Face layout: {@code config.json}, the weights (xner writes {@code model.safetensors}; it
 * reads also shards and PyTorch's {@code pytorch_model.bin}) and the tokenizer's files, which xner copies through
 * untouched.
 */
public final class ModelDirectory {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    public static final String PYTORCH_WEIGHTS = "pytorch_model.bin";
    public static final String PYTORCH_INDEX = "pytorch_model.bin.index.json";
    /** The weight files a model folder may have, in the order transformers prefers them. */
    public static final List<String> WEIGHT_FILES = List.of(WEIGHTS, SAFETENSORS_INDEX, PYTORCH_WEIGHTS, PYTORCH_INDEX);
    /** The tokenizer files of BERT and XLM-R models, as transformers saves them. */
    public static final List<String> TOKENIZER_FILES = List.of("vocab.txt", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "sentencepiece.bpe.model");

    private ModelDirectory() {}

    /** The model's {@code config.json}. */
    public static BertConfig readConfig(Path dir) {
        requireDirectory(dir);
        return BertConfig.read(dir.resolve(CONFIG));
    }

    /**
     * The model's weights, from the first of these files the folder has, as transformers looks for them:
     * {@code model.safetensors}, {@code model.safetensors.index.json} (shards), {@code pytorch_model.bin} (read without
     * running its pickle: {@link PyTorchReader}), {@code pytorch_model.bin.index.json} (shards).
     */
    public static WeightReader openWeights(Path dir) {
        requireDirectory(dir);
        return switch (weightsFile(dir)) {
            case WEIGHTS -> SafetensorsReader.open(dir.resolve(WEIGHTS));
            case SAFETENSORS_INDEX -> ShardedWeights.open(dir.resolve(SAFETENSORS_INDEX), SafetensorsReader::open);
            case PYTORCH_WEIGHTS -> PyTorchReader.open(dir.resolve(PYTORCH_WEIGHTS));
            case PYTORCH_INDEX -> ShardedWeights.open(dir.resolve(PYTORCH_INDEX), PyTorchReader::open);
            default -> throw new IllegalStateException();
        };
    }

    /** The name of the weights file {@link #openWeights} reads in {@code dir}; a folder without one is told what it has. */
    public static String weightsFile(Path dir) {
        for (String name : WEIGHT_FILES) if (Files.isRegularFile(dir.resolve(name))) return name;
        List<String> foreign = List.of("tf_model.h5", "flax_model.msgpack", "model.onnx", "onnx/model.onnx").stream()
                .filter(name -> Files.isRegularFile(dir.resolve(name))).toList();
        throw new XnerInputException(dir + ": no weights: expected " + String.join(", ", WEIGHT_FILES.subList(0, 3)) + " or "
                + WEIGHT_FILES.get(3) + (foreign.isEmpty() ? "" : " (the folder has " + String.join(", ", foreign)
                        + ": TensorFlow, Flax and ONNX weights are not read for libtorch; --runtime onnx reads a folder's model.onnx)"));
    }

    /**
     * Writes a model folder atomically: into a temporary sibling folder, renamed into place at the end, so a
     * reader never sees half a model. An existing folder is replaced. Tokenizer files present in
     * {@code tokenizerFrom} (may be null) are copied through.
     */
    public static void write(Path dir, BertConfig config, Parameters parameters, Path tokenizerFrom)
            throws IOException {
        Path tmp = temporarySibling(dir, "tmp");
        try {
            config.write(tmp.resolve(CONFIG));
            parameters.save(tmp.resolve(WEIGHTS));
            copyTokenizerFiles(tokenizerFrom, tmp);
            Durable.sync(tmp);
            replace(tmp, dir);
            Durable.syncParent(dir);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * Replaces the {@code config.json} of a model folder atomically (a temporary file renamed into place, flushed to
     * disk): how a calibration temperature is added to a trained model.
     */
    public static void rewriteConfig(Path dir, BertConfig config) throws IOException {
        requireDirectory(dir);
        Path file = dir.resolve(CONFIG);
        Path tmp = dir.resolve("." + CONFIG + ".tmp");
        try {
            config.write(tmp);
            Durable.publish(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies the tokenizer files {@code from} holds into {@code to}. */
    public static void copyTokenizerFiles(Path from, Path to) throws IOException {
        if (from == null) return;
        for (String name : TOKENIZER_FILES) {
            Path file = from.resolve(name);
            if (Files.isRegularFile(file)) Files.copy(file, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A new empty folder beside {@code dir}, hidden, for writing before an atomic rename. */
    public static Path temporarySibling(Path dir, String kind) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + dir.getFileName() + "." + kind + "-" + UUID.randomUUID());
        return Files.createDirectory(tmp);
    }

    /** Renames {@code tmp} to {@code dir}, moving an existing {@code dir} aside first and deleting it after. */
    static void replace(Path tmp, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = temporarySibling(dir, "old");
            Files.delete(old);
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteRecursively(old);
    }

    /**
     * Renames {@code tmp} to {@code dir} unless {@code dir} appeared meanwhile (another process finished the
     * same work first); returns whether this rename happened.
     */
    static boolean publish(Path tmp, Path dir) throws IOException {
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            return false;
        }
    }

    /** Deletes a file or folder tree if it exists: a model folder, a checkpoint, a half-written copy. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) return;
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new XnerInputException(dir + ": no such model directory (expected config.json and "
                    + "model.safetensors or pytorch_model.bin in Hugging Face layout)");
        }
    }
}
