package xner.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import xner.XnerInputException;
import xner.infer.Aggregation;
import xner.infer.ModelRuntime;
import xner.infer.TagPipeline;

/**
 * A Spark ML transformer that tags a text column with an xner model: {@code TagPipeline}'s entities for every
 * row, as a new column.
 *
 * <pre>
 *   Dataset&lt;Row&gt; tagged = new EntityTagger().setModelPath("/shared/models/de")
 *           .setInputCol("text").setOutputCol("entities").transform(documents);
 *   // entities: array&lt;struct&lt;entity_group:string, score:float, word:string, start:int, end:int&gt;&gt;
 * </pre>
 *
 * <p>The column holds what {@code TagPipeline.tag(text).predict(aggregation)} returns, field for field: entity
 * groups ({@link #entitySchema()}), or with aggregation {@code none} one element per token that is not
 * {@code O} ({@link #tokenSchema()}); offsets are UTF-16 indices into the text, end exclusive. A null or empty
 * text gives an empty array. Every row comes out, in its partition's order, with all its other columns.
 *
 * <p>Executors load the model once per JVM from {@code modelPath}, a folder every executor can read (a shared
 * file system, or shipped with {@code spark-submit --archives model.zip#model} and named {@code model}); see
 * {@link PartitionTagger}. Saved with {@code write().save(path)} or inside a {@code PipelineModel}: only the
 * params are saved, the model folder stays where it is.
 */
public final class EntityTagger extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> aggregation;
    private final IntParam batchSize;
    private final IntParam maxTokens;
    private final IntParam maxLength;
    private final IntParam stride;
    private final IntParam chunkSize;
    private final Param<String> runtime;
    private final Param<String> precision;

    public EntityTagger() {
        this(Identifiable.randomUID("xnerEntityTagger"));
    }

    /** The constructor Spark's reader calls with the saved uid. */
    public EntityTagger(String uid) {
        this.uid = uid;
        // params are made after uid is set: a param records its parent's uid when it is created
        modelPath = new Param<>(this, "modelPath", "the fine-tuned model folder, readable by every executor");
        inputCol = new Param<>(this, "inputCol", "the string column to tag");
        outputCol = new Param<>(this, "outputCol", "the column of entities added");
        aggregation = new Param<>(this, "aggregation", "none, simple, first, average or max",
                EntityTagger::validAggregation);
        batchSize = new IntParam(this, "batchSize", "windows per forward pass, at most", EntityTagger::positive);
        maxTokens = new IntParam(this, "maxTokens", "padded tokens per forward pass, at most (bounds a pass's memory)",
                EntityTagger::positive);
        maxLength = new IntParam(this, "maxLength", "tokens per window, special tokens included; 0 for the model's",
                v -> (Integer) v >= 0);
        stride = new IntParam(this, "stride", "tokens shared by consecutive windows; -1 for the pipeline's default",
                v -> (Integer) v >= -1);
        chunkSize = new IntParam(this, "chunkSize", "rows of a partition tagged together, sorted by length into passes",
                EntityTagger::positive);
        runtime = new Param<>(this, "runtime", "libtorch (model.safetensors), onnx (model.onnx) or onnx-int8 "
                + "(model_quantized.onnx), as xner export writes them", EntityTagger::validRuntime);
        precision = new Param<>(this, "precision", "libtorch's matrix products: fp32, bf16 (PyTorch's CPU autocast; an "
                + "executor whose CPU has no bf16 units fails its tasks saying so) or auto (bf16 where an executor's CPU has "
                + "them)", v -> List.of("fp32", "bf16", "auto").contains(v));
        setDefault(inputCol, "text");
        setDefault(outputCol, "entities");
        setDefault(aggregation, "first");
        setDefault(batchSize, TagPipeline.DEFAULT_BATCH_SIZE);
        setDefault(maxTokens, TagPipeline.DEFAULT_MAX_TOKENS);
        setDefault(maxLength, 0);
        setDefault(stride, -1);
        setDefault(chunkSize, 512);
        setDefault(runtime, ModelRuntime.LIBTORCH.wireName());
        setDefault(precision, "fp32");
    }

    private static boolean validAggregation(String name) {
        return Arrays.stream(Aggregation.values()).anyMatch(a -> a.wireName().equals(name));
    }

    private static boolean validRuntime(String name) {
        return Arrays.stream(ModelRuntime.values()).anyMatch(r -> r.wireName().equals(name));
    }

    private static boolean positive(Object v) {
        return (Integer) v >= 1;
    }

    @Override
    public String uid() {
        return uid;
    }

    // Spark finds params through their public no-argument getters (Params.params, by reflection)
    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> aggregation() {
        return aggregation;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam maxTokens() {
        return maxTokens;
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public IntParam stride() {
        return stride;
    }

    public IntParam chunkSize() {
        return chunkSize;
    }

    public EntityTagger setModelPath(String path) {
        set(modelPath, path);
        return this;
    }

    public EntityTagger setInputCol(String column) {
        set(inputCol, column);
        return this;
    }

    public EntityTagger setOutputCol(String column) {
        set(outputCol, column);
        return this;
    }

    /** The aggregation strategy by name, any case: {@code none}, {@code simple}, {@code first}, {@code average}, {@code max}. */
    public EntityTagger setAggregation(String name) {
        set(aggregation, Aggregation.parse(name, "aggregation").wireName()); // a clear message for a bad name
        return this;
    }

    public EntityTagger setBatchSize(int windows) {
        set(batchSize, windows);
        return this;
    }

    public EntityTagger setMaxTokens(int tokens) {
        set(maxTokens, tokens);
        return this;
    }

    public EntityTagger setMaxLength(int tokens) {
        set(maxLength, tokens);
        return this;
    }

    public EntityTagger setStride(int tokens) {
        set(stride, tokens);
        return this;
    }

    public EntityTagger setChunkSize(int rows) {
        set(chunkSize, rows);
        return this;
    }

    public String getModelPath() {
        return getOrDefault(modelPath);
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public Param<String> runtime() {
        return runtime;
    }

    public EntityTagger setRuntime(String name) {
        set(runtime, name);
        return this;
    }

    public ModelRuntime getRuntime() {
        return ModelRuntime.parse(getOrDefault(runtime), "runtime");
    }

    public Param<String> precision() {
        return precision;
    }

    /** fp32, bf16 or auto: resolved on each executor against its CPU. */
    public EntityTagger setPrecision(String name) {
        set(precision, name);
        return this;
    }

    public String getPrecision() {
        return getOrDefault(precision);
    }

    public Aggregation getAggregation() {
        return Aggregation.parse(getOrDefault(aggregation), "aggregation");
    }

    /** The pipeline options these params give. */
    public TagPipeline.Options options() {
        return new TagPipeline.Options((Integer) getOrDefault(maxLength), (Integer) getOrDefault(stride),
                (Integer) getOrDefault(batchSize), (Integer) getOrDefault(maxTokens));
    }

    /** The element of the column for an entity-grouping aggregation: transformers' fields, in its order. */
    public static StructType entitySchema() {
        return new StructType(new StructField[] {
                DataTypes.createStructField("entity_group", DataTypes.StringType, false),
                DataTypes.createStructField("score", DataTypes.FloatType, false),
                DataTypes.createStructField("word", DataTypes.StringType, false),
                DataTypes.createStructField("start", DataTypes.IntegerType, false),
                DataTypes.createStructField("end", DataTypes.IntegerType, false)});
    }

    /** The element of the column for aggregation {@code none}: one token, as transformers' pipeline answers. */
    public static StructType tokenSchema() {
        return new StructType(new StructField[] {
                DataTypes.createStructField("entity", DataTypes.StringType, false),
                DataTypes.createStructField("score", DataTypes.FloatType, false),
                DataTypes.createStructField("index", DataTypes.IntegerType, false),
                DataTypes.createStructField("word", DataTypes.StringType, false),
                DataTypes.createStructField("start", DataTypes.IntegerType, false),
                DataTypes.createStructField("end", DataTypes.IntegerType, false)});
    }

    /**
     * The input schema with the output column added; throws {@link XnerInputException} naming the column when the
     * input column is missing or not a string, or the output column exists already.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelPath)) throw new XnerInputException("EntityTagger: modelPath is not set");
        String in = getInputCol();
        String out = getOutputCol();
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new XnerInputException("input column \"" + in + "\" not found; the columns are "
                    + String.join(", ", schema.fieldNames()));
        }
        StructField field = schema.apply(in);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new XnerInputException("input column \"" + in + "\" is " + field.dataType().simpleString()
                    + ", expected string");
        }
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new XnerInputException("output column \"" + out + "\" exists already; choose another outputCol");
        }
        options(); // checks the window options together, as the pipeline will
        StructType element = getAggregation() == Aggregation.NONE ? tokenSchema() : entitySchema();
        return schema.add(DataTypes.createStructField(out, DataTypes.createArrayType(element, false), false));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int column = dataset.schema().fieldIndex(getInputCol());
        PartitionTagger tagger = new PartitionTagger(getModelPath(), getRuntime(), getPrecision(), options(),
                getAggregation(), column, (Integer) getOrDefault(chunkSize));
        return dataset.toDF().mapPartitions(tagger, Encoders.row(out));
    }

    @Override
    public EntityTagger copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EntityTagger[%s: %s → %s, %s]", uid,
                isDefined(inputCol) ? getInputCol() : "?", isDefined(outputCol) ? getOutputCol() : "?",
                isDefined(modelPath) ? getModelPath() : "no model");
    }

    /** The reader {@code PipelineModel.load} finds by reflection. */
    public static MLReader<EntityTagger> read() {
        return new DefaultParamsReader<>();
    }

    public static EntityTagger load(String path) {
        return read().load(path);
    }
}
