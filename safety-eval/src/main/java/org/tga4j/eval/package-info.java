/** The safety benchmark (DSR, over-refusal, judges) and the per-layer safety probe. */
package org.tga4j.eval;
