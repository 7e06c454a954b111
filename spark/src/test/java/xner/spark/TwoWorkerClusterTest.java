package xner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Sentence;
import xner.infer.Aggregation;
import xner.infer.Prediction;
import xner.infer.TagPipeline;

/**
 * {@link EntityTagger} on a standalone cluster on this machine: Spark's {@code local-cluster[2,1,1024]} starts a
 * standalone master and two workers (loopback only), each launching its executor as a JVM of its own. The model is
 * then loaded by those executors from the path, not by the driver: what local mode, one JVM, cannot show.
 */
@Tag("slow")
class TwoWorkerClusterTest {
    @TempDir static Path dir;

    /** Each partition's executor process, how many pipelines its JVM holds, its rows, libtorch's intra-op threads. */
    static final class WhoTagged implements MapPartitionsFunction<Row, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public java.util.Iterator<String> call(java.util.Iterator<Row> rows) {
            int n = 0;
            while (rows.hasNext()) {
                rows.next();
                n++;
            }
            return List.of(ProcessHandle.current().pid() + " " + ExecutorModels.loaded() + " " + n + " "
                    + ai.djl.pytorch.jni.JniUtils.getNumThreads()).iterator();
        }
    }

    @Test
    void twoExecutorJvmsEachLoadTheModelAndTagAsThePipeline() throws IOException {
        List<Sentence> sentences = TinyTagger.sentences(120, 3);
        Path model = TinyTagger.model(dir.resolve("model"), sentences, 5);
        List<String> texts = TinyTagger.texts(sentences);
        // the workers start executors with Spark's launcher, which looks for SPARK_HOME/jars; the classes come from
        // this JVM's class path instead (spark.executor.extraClassPath)
        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        System.setProperty("spark.test.home", home.toString());
        System.setProperty("spark.testing", "true");
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("TwoWorkerClusterTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.scheduler.minRegisteredResourcesRatio", "1.0") // both executors up before the first task
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13") // else the launcher looks for a Spark build tree
                .config("spark.executorEnv.OPT_OUT_TRACKING", "true")
                .config("spark.executorEnv.DJL_CACHE_DIR", System.getenv().getOrDefault("DJL_CACHE_DIR",
                        System.getProperty("user.home") + "/.djl.ai"))
                .getOrCreate();
        try (TagPipeline pipeline = TagPipeline.load(model)) {
            StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("text", DataTypes.StringType, true);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) rows.add(RowFactory.create(i, texts.get(i)));
            Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(4);
            Dataset<Row> tagged = new EntityTagger().setModelPath(model.toString()).transform(df).cache();

            List<Row> got = tagged.collectAsList();
            assertEquals(texts.size(), got.size());
            for (Row r : got) {
                List<Prediction> want = pipeline.tag(r.getString(1)).predict(Aggregation.FIRST);
                List<Row> entities = r.getList(2);
                assertEquals(want.size(), entities.size(), r.getString(1));
                for (int k = 0; k < want.size(); k++) {
                    assertEquals(want.get(k).label(), entities.get(k).getString(0));
                    assertEquals(want.get(k).word(), entities.get(k).getString(2));
                    assertEquals(want.get(k).start(), entities.get(k).getInt(3));
                    assertEquals((float) want.get(k).score(), entities.get(k).getFloat(1), 1e-5f);
                }
            }

            Set<String> pids = new HashSet<>();
            for (String who : tagged.mapPartitions(new WhoTagged(), Encoders.STRING()).collectAsList()) {
                String[] f = who.split(" ");
                assertNotEquals(Long.toString(ProcessHandle.current().pid()), f[0], "tagged outside the driver");
                assertEquals("1", f[1], "one pipeline in executor " + f[0] + ", loaded once for all its tasks");
                // libtorch would take every core of the machine; spark.task.cpus is 1
                assertEquals("1", f[3], "intra-op threads of executor " + f[0]);
                pids.add(f[0]);
            }
            assertEquals(2, pids.size(), "both workers' executors tagged: " + pids);
        } finally {
            spark.stop();
            System.clearProperty("spark.testing");
            System.clearProperty("spark.test.home");
        }
    }
}
