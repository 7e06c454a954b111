package xner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags Spark needs on Java 17 are where a user does not have to find them: {@code jvm.args} (read by
 * {@code bin/xner spark-tag}) and the tests' own JVM hold exactly what Spark's launcher passes for this version.
 */
class SparkJvmFlagsTest {
    static List<String> sparks() {
        return Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" "));
    }

    @Test
    void jvmArgsFileHoldsSparksOwnFlags() throws IOException {
        Path file = Path.of(System.getProperty("xner.spark.jvmArgs", "jvm.args"));
        List<String> lines = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertEquals(sparks(), lines, file + " must list JavaModuleOptions.defaultModuleOptions(), one a line");
    }

    @Test
    void theTestJvmWasStartedWithThem() {
        List<String> ours = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : sparks()) assertTrue(ours.contains(flag), "surefire's argLine lacks " + flag);
    }
}
