/**
 * Tagging on Apache Spark: a DataFrame's string column in, a column of entities out, the same entities as
 * {@code xner.infer.TagPipeline} gives for each row.
 *
 * <ul>
 *   <li>{@link xner.spark.EntityTagger}: the Spark ML transformer (params, output schema, save and load);</li>
 *   <li>{@link xner.spark.PartitionTagger}: what an executor runs for one partition, in length-sorted chunks;</li>
 *   <li>{@link xner.spark.ExecutorModels}: the pipelines an executor JVM has loaded, once each;</li>
 *   <li>{@link xner.spark.SparkTagCommand}: {@code xner spark-tag}, files in and out on an embedded or a cluster Spark.</li>
 * </ul>
 * A module of its own ({@code spark/}), so that Spark stays out of the core's jar and the service.
 */
package xner.spark;
