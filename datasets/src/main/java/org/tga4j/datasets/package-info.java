/** Records and file formats (LLaVA JSON, caption corpora, safety sets), image I/O, and the TinyWorld generator. No model code. */
package org.tga4j.datasets;
