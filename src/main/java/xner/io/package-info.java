/**
 * Bytes in and out, under every step: JSON read strictly ({@link xner.io.StrictJson}: RFC 8259, a name twice
 * refused, errors with the column) and written one way ({@link xner.io.JsonOutput}), text that must be whole UTF-8
 * ({@link xner.io.StrictText}), protobuf fields of files whose schema is not compiled ({@link xner.io.ProtoReader}),
 * SHA-256 of files ({@link xner.io.Sha256}), and writes that survive a crash or a power
 * cut ({@link xner.io.Durable}: room checked first, a temporary name, fsync, an atomic rename). No other xner package
 * is imported here: data, model, train, serve and the rest all read and write through it.
 */
package xner.io;
