/**
 * Image preprocessing for CLIP vision towers: {@link org.tga4j.runtime.image.ClipImageProcessor} reproduces
 * Hugging Face's CLIPImageProcessor (with LLaVA's pad-to-square) on images decoded by OpenCV;
 * {@link org.tga4j.runtime.image.ImageProcessorConfig} reads and writes {@code preprocessor_config.json}.
 */
package org.tga4j.runtime.image;
