/**
 * Checkpoint weights: a validating, memory-mapping safetensors reader ({@link org.tga4j.runtime.weights.SafeTensorsFile}),
 * Hugging Face model directories with sharded indexes ({@link org.tga4j.runtime.weights.Checkpoint}) and an atomic
 * writer ({@link org.tga4j.runtime.weights.SafeTensorsWriter}). BF16/F16 are widened to F32 here, never handed to DJL.
 */
package org.tga4j.runtime.weights;
