/** Lucene caption index, BM25 / dense / hybrid retrieval with self-hit exclusion, and TGA data augmentation. */
package org.tga4j.retrieval;
